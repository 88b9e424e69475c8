package io.aviary.metrics;

import io.aviary.api.alarm.Alarms;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's memory watermark alarm for a JVM: every check interval, compares the heap in use with
 * the maximum heap and raises {@code high_process_memory_usage} above the watermark, clearing it
 * once usage falls back below it. Reads the configuration section {@code sysmon}.
 */
@Component(configurationPid = HeapMonitor.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
public final class HeapMonitor {

    public static final String PID = "aviary.sysmon";
    static final String ALARM = "high_process_memory_usage";
    private static final Logger LOG = LoggerFactory.getLogger(HeapMonitor.class);

    /** sysmon.vm.heap_high_watermark ("80%"), sysmon.vm.heap_check_interval (ms; 0 = never). */
    public @interface Config {
        String vm_heap__high__watermark() default "80%";

        long vm_heap__check__interval() default 30_000;
    }

    private final Alarms alarms;
    private final double watermark;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ScheduledExecutorService timer;

    @Activate
    public HeapMonitor(Config config, @Reference Alarms alarms) {
        this.alarms = alarms;
        this.watermark = percent(config.vm_heap__high__watermark());
        long interval = config.vm_heap__check__interval();
        if (interval > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aviary-heap-monitor");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::check, 0, interval, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
        LOG.info("sysmon: heap watermark {}% checked every {} ms", watermark * 100, interval);
    }

    /** "80%" or "0.8"; anything else falls back to 80% with a warning rather than stopping the start. */
    static double percent(String text) {
        String t = text.trim();
        try {
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (v > 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("sysmon: vm.heap_high_watermark '{}' is not a percentage in (0%, 100%]; using 80%", text);
        return 0.8;
    }

    void check() {
        try {
            MemoryUsage heap = memory.getHeapMemoryUsage();
            long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
            double used = (double) heap.getUsed() / max;
            if (used >= watermark) {
                alarms.raise(ALARM, String.format("JVM heap %.0f%% used (watermark %.0f%%)", used * 100, watermark * 100),
                        Map.of("used_bytes", Long.toString(heap.getUsed()), "max_bytes", Long.toString(max),
                                "high_watermark", String.format("%.0f%%", watermark * 100)));
            } else {
                alarms.clear(ALARM);
            }
        } catch (RuntimeException e) {
            LOG.warn("sysmon: heap check failed: {}", e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
        alarms.clear(ALARM);
    }
}

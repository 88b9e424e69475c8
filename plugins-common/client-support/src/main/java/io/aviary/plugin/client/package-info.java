/** Client connection config shared by plugins: EMQX's ssl object, typed config values (copied in, never imported). */
package io.aviary.plugin.client;

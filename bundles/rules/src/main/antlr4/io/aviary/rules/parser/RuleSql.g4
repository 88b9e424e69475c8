/*
 * EMQX 5's rule SQL (the rulesql grammar's language), written for ANTLR 4. Keywords are
 * case-insensitive. As in EMQX, '...' is a string literal while "..." is a quoted NAME (a topic
 * filter in FROM, a field name elsewhere). Beyond EMQX, AND/OR/NOT may appear in any expression
 * and `a mod b` is an operator; everything EMQX accepts parses the same way here.
 */
grammar RuleSql;

options { caseInsensitive = true; }

sql
    : (selectStmt | foreachStmt) EOF
    ;

selectStmt
    : SELECT fields fromClause whereClause?
    ;

foreachStmt
    : FOREACH fields doClause? incaseClause? fromClause whereClause?
    ;

doClause     : DO fields ;
incaseClause : INCASE expr ;
fromClause   : FROM fromItem (',' fromItem)* ;
fromItem     : QNAME | STRING ;
whereClause  : WHERE expr ;

fields
    : field (',' field)*
    ;

field
    : '*'                        # starField
    | expr (AS? alias=ref)?      # exprField
    ;

expr
    : primary                                                          # primaryExpr
    | op=('+' | '-') expr                                              # unaryExpr
    | expr op=('*' | '/' | DIV | MOD) expr                             # mulExpr
    | expr op=('+' | '-') expr                                         # addExpr
    | expr op=('=' | '!=' | '<>' | '<' | '>' | '<=' | '>=' | '=~') expr # cmpExpr
    | expr NOT? IN '(' expr (',' expr)* ')'                            # inExpr
    | NOT expr                                                         # notExpr
    | expr AND expr                                                    # andExpr
    | expr OR expr                                                     # orExpr
    ;

primary
    : STRING                                          # stringLit
    | INT                                             # intLit
    | FLOAT                                           # floatLit
    | (TRUE | FALSE)                                  # boolLit
    | RANGE                                           # rangeLit
    | '[' (expr (',' expr)*)? ']'                     # listLit
    | CASE on=expr? whenThen+ (ELSE otherwise=expr)? END  # caseExpr
    | fname=(NAME | MOD | DIV) '(' (expr (',' expr)*)? ')' # callExpr
    | ref RANGE?                                      # refExpr
    | '(' expr ')'                                    # parenExpr
    ;

whenThen
    : WHEN expr THEN expr
    ;

// a field reference: payload.a.b, payload.x[1], payload.x[-1], payload.x[idx], item."a-b"
ref
    : (NAME | QNAME) segment*
    ;

segment
    : '.' (NAME | QNAME | STRING | INT | keyword)     # keySegment
    | '[' sign=('+' | '-')? INT ']'                   # indexSegment
    | '[' ref ']'                                     # refIndexSegment
    ;

keyword
    : SELECT | FOREACH | DO | INCASE | FROM | WHERE | AS | CASE | WHEN | THEN | ELSE | END
    | AND | OR | NOT | IN | DIV | MOD | TRUE | FALSE
    ;

SELECT  : 'select' ;
FOREACH : 'foreach' ;
DO      : 'do' ;
INCASE  : 'incase' ;
FROM    : 'from' ;
WHERE   : 'where' ;
AS      : 'as' ;
CASE    : 'case' ;
WHEN    : 'when' ;
THEN    : 'then' ;
ELSE    : 'else' ;
END     : 'end' ;
AND     : 'and' ;
OR      : 'or' ;
NOT     : 'not' ;
IN      : 'in' ;
DIV     : 'div' ;
MOD     : 'mod' ;
TRUE    : 'true' ;
FALSE   : 'false' ;

// [1..5] and payload.x[2..-1]: one token, as in EMQX's lexer
RANGE   : '[' [ \t]* [+-]? [0-9]+ [ \t]* '..' [ \t]* [+-]? [0-9]+ [ \t]* ']' ;
FLOAT   : [0-9]+ '.' [0-9]+ ([e] [+-]? [0-9]+)? | [0-9]+ [e] [+-]? [0-9]+ ;
INT     : [0-9]+ ;
STRING  : '\'' (~'\'' | '\'\'')* '\'' ;
QNAME   : '"' (~'"' | '""')* '"' ;
NAME    : [a-z_] [a-z0-9_$@~]* ;

LINE_COMMENT : '--' ~[\r\n]* -> skip ;
WS      : [ \t\r\n]+ -> skip ;

/* `planpack serve`: its options read, the feedback store opened, and the package served. */
#ifndef PLANPACK_WEB_CLI_H
#define PLANPACK_WEB_CLI_H

/* planpack serve [PKGDIR] [--listen ADDR:PORT] [--db PATH] [--watch] ...: an exit code. */
int web_cli_serve(int argc, char **argv);

#endif

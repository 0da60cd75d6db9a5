/* `planpack report`: its options read and checked, the report built and written to stdout. */
#ifndef PLANPACK_REPORT_CLI_H
#define PLANPACK_REPORT_CLI_H

/*
 * planpack report [--db PATH] [--school NAME] [--cohort CODE] [--k N] [--compare OLD,NEW]
 * [--package-version V] [--format F]: an exit code.
 */
int report_cli(int argc, char **argv);

#endif

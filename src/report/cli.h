/* `planpack report`: its options read and checked, the report built and written to stdout. */
#ifndef PLANPACK_REPORT_CLI_H
#define PLANPACK_REPORT_CLI_H

/*
 * planpack report [--db PATH] [--school NAME] [--cohort CODE] [--k N] [--compare OLD,NEW]
 * [--package-version V] [--format F]: an exit code. language_name (report_options) is lent
 * by the caller, since the reports may not see the interface catalogs; NULL: tags only.
 */
int report_cli(int argc, char **argv, const char *(*language_name)(const char *language));

#endif

/* The pieces of ctl_show.c that `ctl top` draws with (json-c objects of
 * the sharer's answers). */
#ifndef RDPSHARE_TOOLS_CTL_VIEW_H
#define RDPSHARE_TOOLS_CTL_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* o's member key, or NULL. */
json_object *ctl_get(json_object *o, const char *key);
/* A cell's text: strings escaped for the terminal and capped at max
 * characters, "-" for nothing. Ownership: malloc'd, the caller frees. */
char *ctl_cell(json_object *v, size_t max);
/* The attendees' table on stdout; marked >= 0 puts "> " before that id. */
void ctl_show_attendees(json_object *list, int marked);
/* The pending requests' table, with a line on how to answer when hint. */
void ctl_show_requests(json_object *list, bool hint);

#endif

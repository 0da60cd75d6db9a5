/*
 * The HTTP statuses the server answers with, under one name each: every file of src/web
 * says HTTP_NOT_FOUND, never 404u, MHD_HTTP_NOT_FOUND or a name of its own. Plain
 * unsigned constants, as libmicrohttpd's MHD_queue_response() takes them; nothing here
 * depends on anything.
 */
#ifndef PLANPACK_WEB_STATUS_H
#define PLANPACK_WEB_STATUS_H

#define HTTP_OK 200u
#define HTTP_SEE_OTHER 303u
#define HTTP_NOT_MODIFIED 304u
#define HTTP_PERMANENT_REDIRECT 308u
#define HTTP_BAD_REQUEST 400u
#define HTTP_UNAUTHORIZED 401u
#define HTTP_FORBIDDEN 403u
#define HTTP_NOT_FOUND 404u
#define HTTP_METHOD_NOT_ALLOWED 405u
#define HTTP_CONFLICT 409u
#define HTTP_GONE 410u
#define HTTP_CONTENT_TOO_LARGE 413u
#define HTTP_UNSUPPORTED_MEDIA_TYPE 415u
#define HTTP_TOO_MANY_REQUESTS 429u
#define HTTP_INTERNAL_SERVER_ERROR 500u
#define HTTP_SERVICE_UNAVAILABLE 503u

#endif

/* The mailer drains the outbox through one transport: maildir files, a
 * sendmail child watched by the loop, or SMTP with libcurl's multi
 * interface driven by the same libevent loop. */
#ifndef ADF_MAILER_H
#define ADF_MAILER_H

struct adfd;
struct mailer;

/* Readies the transport (the maildir's folders, curl's multi handle, the
 * watch on SIGCHLD), then sends what is due and arms for the next retry. */
int mailer_start(struct adfd *d);
/* What is in flight stays "sending": the next start sends it again. */
void mailer_stop(struct adfd *d);
/* The outbox may hold due messages: look soon. */
void mailer_kick(struct adfd *d);
/* Messages in flight (sending), for status. */
int mailer_in_flight(const struct adfd *d);
/* Deletes the maildir files of these outbox rows (erased personal data),
 * wherever a mail reader moved them (new/, cur/); returns how many. */
int mailer_erase_files(const struct adfd *d, const long long *ids, size_t n);

#endif

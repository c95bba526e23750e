#include "config.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "adfd.h"
#include "date.h"
#include "db.h"
#include "log.h"
#include "mailer.h"
#include "mime.h"
#include "outbox.h"
#include "work.h"

#define MAILDIR_BATCH 50
/* Rows claimed (pending -> sending) in one transaction, then handed to the
 * transport one by one as it has room. */
#define CLAIM_BATCH 100
/* Outcomes are recorded together, this long after the first of them: a
 * burst of mail costs a commit every few milliseconds, not one a message. */
#define RECORD_DELAY_USEC 20000
/* A kick drains this long after it: the mail of a burst of registrations
 * goes in batches, each costing a few flushes, not a few a message. */
#define KICK_DELAY_USEC 50000
#define BACKOFF_CAP (6 * 3600)

struct job {
	struct mailer *m;
	long long id;
	char *message;
	size_t len, sent;
	char *recipient;
	CURL *easy;
	struct curl_slist *rcpt; /* lives as long as the transfer */
	char error[CURL_ERROR_SIZE];
	char last_reply[512]; /* the server's last words, kept for "mail failed" */
	time_t stamp;	      /* maildir: the file name's time */
	pid_t pid;	      /* sendmail */
	struct bufferevent *pipe;
	struct job *next;
};

struct outcome {
	long long id;
	int outcome;
	char *error;
	struct outcome *next;
};

struct mailer {
	struct adfd *d;
	struct event *timer;
	struct event *record_timer;
	struct event *retry_timer; /* the next failed message's next attempt */
	struct outcome *outcomes, **outcomes_tail;
	long long claimed[CLAIM_BATCH];
	int claimed_count, claimed_next;
	CURLM *multi;
	struct event *curl_timer;
	struct event *sigchld;
	struct job *jobs;
	int in_flight;
	time_t rate_second;
	int rate_count;
};

static void job_free(struct job *j);
static void drain(evutil_socket_t fd, short what, void *arg);

/* Comes back when the earliest message waiting for a retry is due. */
static void arm_retry(struct mailer *m)
{
	struct adf_error err;
	long long next = outbox_next_attempt(m->d->db, &err);
	if (next <= 0)
		return;
	long long wait = next - (long long)time(NULL);
	struct timeval tv = {wait > 1 ? (time_t)wait : 1, 0};
	evtimer_add(m->retry_timer, &tv);
}

/* A transfer ended: its slot takes the next message at once (a kick from
 * outside waits a little, see mailer_kick). */
static void drain_now(struct mailer *m)
{
	struct timeval now = {0, 0};
	evtimer_add(m->timer, &now);
}

static const char *transport_name(int t)
{
	return t == MAIL_SMTP ? "smtp" : t == MAIL_SENDMAIL ? "sendmail" : "maildir";
}

/* Marks the outcome of one attempt: sent, pending again after a backoff,
 * or failed for good (a 5xx, or too many attempts). */
static void record(struct mailer *m, long long id, int outcome, const char *error)
{
	struct adfd *d = m->d;
	struct adf_error err;
	if (outcome == 0) {
		if (outbox_sent(d->db, &err, id) < 0)
			log_error("outbox %lld: sent, but not recorded: %s", id, err.message);
		else
			log_debug("outbox %lld: sent", id);
		return;
	}
	long long attempts = outbox_attempts(d->db, &err, id);
	bool permanent = outcome > 0 || attempts >= d->cfg.mail_max_attempts;
	long delay = d->cfg.mail_retry_base;
	for (long long i = 1; i < attempts && delay < BACKOFF_CAP; i++)
		delay *= 2;
	if (delay > BACKOFF_CAP)
		delay = BACKOFF_CAP;
	char when[INSTANT_LEN];
	instant_format((long long)time(NULL) + delay, when);
	if (outbox_failed(d->db, &err, id, permanent, when, error) < 0)
		log_error("outbox %lld: cannot record the failure: %s", id, err.message);
	if (permanent)
		log_error("outbox %lld: failed for good after %lld attempt(s): %s", id, attempts,
			  error);
	else
		log_warning("outbox %lld: attempt %lld failed (%s): next in %ld s", id, attempts,
			    error, delay);
}

/* Writes the outcomes gathered so far, in one transaction. */
static void record_outcomes(struct mailer *m)
{
	struct adfd *d = m->d;
	if (!m->outcomes)
		return;
	struct work w;
	work_init(&w, d);
	if (work_begin(&w) < 0) {
		log_error("outbox: cannot record outcomes: %s", w.err.message);
		struct timeval later = {1, 0};
		evtimer_add(m->record_timer, &later);
		return;
	}
	bool retry = false;
	w.events |= WORK_MAILED;
	for (struct outcome *o = m->outcomes; o; o = o->next) {
		record(m, o->id, o->outcome, o->error);
		retry |= o->outcome < 0;
	}
	if (work_end(&w, 0, 0, NULL) < 0) {
		/* the rows stay "sending": tried again at the next start */
		log_error("outbox: cannot record outcomes: %s", w.err.message);
		struct timeval later = {1, 0};
		evtimer_add(m->record_timer, &later);
		return;
	}
	while (m->outcomes) {
		struct outcome *o = m->outcomes;
		m->outcomes = o->next;
		free(o->error);
		free(o);
	}
	m->outcomes_tail = &m->outcomes;
	/* a retry is due later: the mailer's own timer comes back for it */
	if (retry)
		arm_retry(m);
}

static void on_record_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	record_outcomes(arg);
}

static void finish(struct mailer *m, long long id, int outcome, const char *error)
{
	struct outcome *o = calloc(1, sizeof *o);
	if (!o || (error && !(o->error = strdup(error)))) {
		free(o);
		log_error("outbox %lld: out of memory: the outcome is not recorded", id);
		return;
	}
	o->id = id;
	o->outcome = outcome;
	*m->outcomes_tail = o;
	m->outcomes_tail = &o->next;
	if (!evtimer_pending(m->record_timer, NULL)) {
		struct timeval tv = {0, RECORD_DELAY_USEC};
		evtimer_add(m->record_timer, &tv);
	}
}

/* Claims due rows, a batch at a time: pending -> sending, one more attempt.
 * Returns the next claimed id, 0 if none is due, -1 on error. */
static long long claim(struct mailer *m)
{
	struct adfd *d = m->d;
	if (m->claimed_next < m->claimed_count)
		return m->claimed[m->claimed_next++];
	m->claimed_next = m->claimed_count = 0;
	struct work w;
	work_init(&w, d);
	int n = work_begin(&w) < 0 ? -1 : outbox_claim(d->db, &w.err, m->claimed, CLAIM_BATCH);
	if (work_end(&w, n < 0 ? -1 : 0, 0, NULL) < 0) {
		m->claimed_count = 0;
		log_error("outbox: %s", w.err.message);
		return -1;
	}
	m->claimed_count = n;
	return m->claimed_count ? m->claimed[m->claimed_next++] : 0;
}

/* The bytes of an outbox row's message; the caller frees. */
static char *build(struct mailer *m, long long id, size_t *len, char **recipient)
{
	struct adfd *d = m->d;
	struct adf_error err;
	json_t *row = outbox_message(d->db, &err, id);
	if (!row)
		return NULL;
#define FIELD(name) json_string_value(json_object_get(row, name))
	struct mail_parts p = {
	    .from = d->cfg.mail_from,
	    .from_name = d->cfg.mail_from_name,
	    .reply_to = d->cfg.mail_reply_to,
	    .to = FIELD("recipient"),
	    .to_name = FIELD("recipient_name"),
	    .subject = FIELD("subject"),
	    .body = FIELD("body"),
	    .ics = FIELD("ics"),
	    .ics_method = FIELD("ics_method"),
	    .message_id = FIELD("message_id"),
	    .unsubscribe = FIELD("unsubscribe"),
	    .date = (time_t)instant_parse(FIELD("created_at")),
	};
#undef FIELD
	char *msg = mime_build(&p, len);
	*recipient = p.to ? strdup(p.to) : NULL;
	json_decref(row);
	return msg;
}

/* maildir: each message a file, written in tmp/ and renamed into new/. A
 * batch costs two flushes, not one per message: the files' data by one
 * syncfs(), then the renames by an fsync of new/. */
static void maildir_path(struct mailer *m, const struct job *j, const char *sub, char *out,
			 size_t n)
{
	snprintf(out, n, "%s/%s/%lld.adf.%lld", m->d->cfg.maildir, sub, (long long)j->stamp, j->id);
}

/* "<stamp>.adf.<id>", with a reader's ":2,flags" after it in cur/. */
static long long maildir_file_id(const char *name)
{
	const char *p = strstr(name, ".adf.");
	if (!p)
		return 0;
	char *end;
	long long id = strtoll(p + 5, &end, 10);
	return end != p + 5 && (*end == '\0' || *end == ':') ? id : 0;
}

int mailer_erase_files(const struct adfd *d, const long long *ids, size_t n)
{
	static const char *const subs[] = {"new", "cur", "tmp"};
	int erased = 0;
	for (size_t s = 0; s < sizeof subs / sizeof subs[0] && n > 0; s++) {
		char dir[600];
		snprintf(dir, sizeof dir, "%s/%s", d->cfg.maildir, subs[s]);
		DIR *dp = opendir(dir);
		struct dirent *e;
		while (dp && (e = readdir(dp))) {
			long long id = maildir_file_id(e->d_name);
			for (size_t i = 0; id && i < n; i++) {
				if (ids[i] != id)
					continue;
				char path[900];
				snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
				if (unlink(path) == 0)
					erased++;
				else
					log_error("maildir: cannot erase outbox %lld's file: %s",
						  id, strerror(errno));
				break;
			}
		}
		if (dp)
			closedir(dp);
	}
	return erased;
}

static int maildir_write(struct mailer *m, struct job *j)
{
	char tmp[600];
	j->stamp = time(NULL);
	maildir_path(m, j, "tmp", tmp, sizeof tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(j->error, sizeof j->error, "%.150s: %s", tmp, strerror(errno));
		return -1;
	}
	ssize_t w = write(fd, j->message, j->len);
	int rc = w == (ssize_t)j->len ? 0 : -1;
	if (rc < 0)
		snprintf(j->error, sizeof j->error, "%.150s: %s", tmp,
			 w < 0 ? strerror(errno) : "short write");
	if (close(fd) < 0 && rc == 0) {
		snprintf(j->error, sizeof j->error, "%.150s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	return rc;
}

static int sync_dir(const char *dir, bool whole_fs, char *error, size_t n)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : whole_fs ? syncfs(fd) : fsync(fd);
	if (rc < 0)
		snprintf(error, n, "%.150s: %s", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

static void maildir_publish(struct mailer *m, struct job **batch, int n)
{
	char dir[600], error[200] = "";
	snprintf(dir, sizeof dir, "%s/tmp", m->d->cfg.maildir);
	int rc = sync_dir(dir, true, error, sizeof error);
	for (int i = 0; i < n; i++) {
		char tmp[600], dst[600];
		maildir_path(m, batch[i], "tmp", tmp, sizeof tmp);
		maildir_path(m, batch[i], "new", dst, sizeof dst);
		if (rc == 0 && rename(tmp, dst) < 0)
			snprintf(batch[i]->error, sizeof batch[i]->error, "rename to %.150s: %s",
				 dst, strerror(errno));
		else if (rc < 0)
			snprintf(batch[i]->error, sizeof batch[i]->error, "%s", error);
		if (batch[i]->error[0])
			unlink(tmp);
	}
	snprintf(dir, sizeof dir, "%s/new", m->d->cfg.maildir);
	if (rc == 0)
		rc = sync_dir(dir, false, error, sizeof error);
	for (int i = 0; i < n; i++) {
		struct job *j = batch[i];
		/* renamed but not known to be on disk: try again, same Message-ID */
		if (rc < 0 && !j->error[0])
			snprintf(j->error, sizeof j->error, "%s", error);
		finish(m, j->id, j->error[0] ? -1 : 0, j->error[0] ? j->error : NULL);
		job_free(j);
	}
}

static int maildir_prepare(const char *dir)
{
	char sub[600];
	const char *parts[] = {"", "/tmp", "/new", "/cur"};
	for (int i = 0; i < 4; i++) {
		snprintf(sub, sizeof sub, "%s%s", dir, parts[i]);
		if (mkdir(sub, 0750) < 0 && errno != EEXIST) {
			log_error("maildir %s: %s", sub, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void job_free(struct job *j)
{
	struct mailer *m = j->m;
	for (struct job **p = &m->jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	if (j->easy) {
		curl_multi_remove_handle(m->multi, j->easy);
		curl_easy_cleanup(j->easy);
	}
	curl_slist_free_all(j->rcpt);
	if (j->pipe)
		bufferevent_free(j->pipe);
	free(j->message);
	free(j->recipient);
	free(j);
	m->in_flight--;
}

/* sendmail: a child per message, its stdin a pipe the loop writes. */
static void sendmail_written(struct bufferevent *bev, void *arg)
{
	struct job *j = arg;
	(void)bev;
	/* all written: closing the pipe tells sendmail the message ended */
	bufferevent_free(j->pipe);
	j->pipe = NULL;
}

static void sendmail_pipe_error(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	struct job *j = arg;
	bufferevent_free(j->pipe);
	j->pipe = NULL; /* the exit status tells what happened */
}

static int sendmail_start(struct mailer *m, struct job *j)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(j->error, sizeof j->error, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(j->error, sizeof j->error, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		execl(m->d->cfg.sendmail_path, m->d->cfg.sendmail_path, "-t", "-i", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	j->pid = pid;
	evutil_make_socket_nonblocking(fds[1]);
	j->pipe = bufferevent_socket_new(m->d->base, fds[1], BEV_OPT_CLOSE_ON_FREE);
	if (!j->pipe) {
		close(fds[1]);
		return 0; /* the child sees EOF and fails: its status says so */
	}
	bufferevent_setcb(j->pipe, NULL, sendmail_written, sendmail_pipe_error, j);
	bufferevent_write(j->pipe, j->message, j->len);
	bufferevent_enable(j->pipe, EV_WRITE);
	return 0;
}

static void on_sigchld(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	struct mailer *m = arg;
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct job *j = m->jobs; j; j = j->next) {
			if (j->pid != pid)
				continue;
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			char error[160];
			snprintf(error, sizeof error, "%s exited with status %d",
				 m->d->cfg.sendmail_path, code);
			/* EX_TEMPFAIL (75) and signals are worth another try */
			finish(m, j->id,
			       code == 0		  ? 0
			       : code == 75 || code > 128 ? -1
							  : 1,
			       code ? error : NULL);
			job_free(j);
			break;
		}
	}
	drain_now(m);
}

/* SMTP through libcurl's multi interface, on our loop (curl's hiperfifo). */
static size_t smtp_read(char *buf, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	size_t room = size * n, left = j->len - j->sent;
	size_t take = left < room ? left : room;
	memcpy(buf, j->message + j->sent, take);
	j->sent += take;
	return take;
}

static int smtp_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	(void)easy;
	struct job *j = arg;
	/* the server's refusal (4xx, 5xx), not the "221 Bye" that follows it */
	if (type == CURLINFO_HEADER_IN && size > 0 && (data[0] == '4' || data[0] == '5') &&
	    !j->last_reply[0]) {
		size_t n = size < sizeof j->last_reply - 1 ? size : sizeof j->last_reply - 1;
		memcpy(j->last_reply, data, n);
		while (n > 0 && (j->last_reply[n - 1] == '\n' || j->last_reply[n - 1] == '\r'))
			n--;
		j->last_reply[n] = '\0';
	}
	return 0;
}

static void check_multi(struct mailer *m)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(m->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct job *j;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		long code = 0;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		CURLcode rc = msg->data.result;
		char error[800];
		if (rc == CURLE_OK) {
			finish(m, j->id, 0, NULL);
		} else {
			snprintf(error, sizeof error, "%s%s%s",
				 j->last_reply[0] ? j->last_reply : "",
				 j->last_reply[0] ? " — " : "",
				 j->error[0] ? j->error : curl_easy_strerror(rc));
			/* 5xx: the server refused for good; anything else may pass later */
			finish(m, j->id, code >= 500 && code < 600 ? 1 : -1, error);
		}
		job_free(j);
	}
	drain_now(m);
}

static void on_curl_socket(evutil_socket_t fd, short what, void *arg)
{
	struct mailer *m = arg;
	int running;
	int flags =
	    (what & EV_READ ? CURL_CSELECT_IN : 0) | (what & EV_WRITE ? CURL_CSELECT_OUT : 0);
	curl_multi_socket_action(m->multi, fd, flags, &running);
	check_multi(m);
}

static int curl_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	(void)easy;
	struct mailer *m = userp;
	struct event *ev = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (ev)
			event_free(ev);
		curl_multi_assign(m->multi, s, NULL);
		return 0;
	}
	short kind = (what & CURL_POLL_IN ? EV_READ : 0) | (what & CURL_POLL_OUT ? EV_WRITE : 0) |
		     EV_PERSIST;
	if (ev) {
		event_del(ev);
		event_assign(ev, m->d->base, s, kind, on_curl_socket, m);
	} else {
		ev = event_new(m->d->base, s, kind, on_curl_socket, m);
		curl_multi_assign(m->multi, s, ev);
	}
	event_add(ev, NULL);
	return 0;
}

static void on_curl_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct mailer *m = arg;
	int running;
	curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_multi(m);
}

static int curl_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	(void)multi;
	struct mailer *m = userp;
	if (timeout_ms < 0) {
		evtimer_del(m->curl_timer);
		return 0;
	}
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	evtimer_add(m->curl_timer, &tv);
	return 0;
}

static int smtp_start(struct mailer *m, struct job *j)
{
	const struct settings *cfg = &m->d->cfg;
	j->easy = curl_easy_init();
	if (!j->easy) {
		snprintf(j->error, sizeof j->error, "curl_easy_init failed");
		return -1;
	}
	j->rcpt = curl_slist_append(NULL, j->recipient);
	CURL *e = j->easy;
	curl_easy_setopt(e, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, cfg->mail_from);
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, j->rcpt);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(e, CURLOPT_READDATA, j);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->error);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, smtp_debug);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, j);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L); /* feeds smtp_debug, prints nothing */
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USE_SSL,
			 cfg->smtp_starttls == 2   ? (long)CURLUSESSL_ALL
			 : cfg->smtp_starttls == 1 ? (long)CURLUSESSL_TRY
						   : (long)CURLUSESSL_NONE);
	if (cfg->smtp_username) {
		curl_easy_setopt(e, CURLOPT_USERNAME, cfg->smtp_username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, cfg->smtp_password ? cfg->smtp_password : "");
	}
	j->error[0] = '\0';
	if (curl_multi_add_handle(m->multi, e) != CURLM_OK) {
		snprintf(j->error, sizeof j->error, "curl_multi_add_handle failed");
		return -1;
	}
	return 0;
}

/* Hands due messages to the transport, within the concurrency and rate
 * limits, a bounded number per turn so the loop stays responsive. */
static void drain(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct mailer *m = arg;
	struct adfd *d = m->d;
	int limit = d->cfg.mail_transport == MAIL_MAILDIR    ? MAILDIR_BATCH
		    : d->cfg.mail_transport == MAIL_SENDMAIL ? 1
							     : d->cfg.mail_max_connections;
	bool more = false, limited = false;
	int started = 0;
	struct job *batch[MAILDIR_BATCH];
	int batched = 0;
	for (;; started++) {
		if (m->in_flight >= limit) {
			limited = true;
			break;
		}
		if (started == MAILDIR_BATCH) {
			more = true; /* the rest on the next turn of the loop */
			break;
		}
		time_t now = time(NULL);
		if (d->cfg.mail_rate > 0) {
			if (now != m->rate_second) {
				m->rate_second = now;
				m->rate_count = 0;
			}
			if (m->rate_count >= d->cfg.mail_rate) {
				more = true;
				break;
			}
		}
		long long id = claim(m);
		/* nothing due now: come back when the first retry is (a timer
		 * may fire a little before the second it was set for) */
		if (id == 0)
			arm_retry(m);
		if (id <= 0)
			break;
		m->rate_count++;
		struct job *j = calloc(1, sizeof *j);
		if (!j) {
			finish(m, id, -1, "out of memory");
			break;
		}
		j->m = m;
		j->id = id;
		j->message = build(m, id, &j->len, &j->recipient);
		j->next = m->jobs;
		m->jobs = j;
		m->in_flight++;
		if (!j->message || !j->recipient) {
			finish(m, id, -1, "cannot build the message");
			job_free(j);
			continue;
		}
		int rc;
		if (d->cfg.mail_transport == MAIL_MAILDIR) {
			if (maildir_write(m, j) == 0) {
				batch[batched++] = j;
			} else {
				finish(m, id, -1, j->error);
				job_free(j);
			}
			continue;
		}
		rc = d->cfg.mail_transport == MAIL_SMTP ? smtp_start(m, j) : sendmail_start(m, j);
		if (rc < 0) {
			finish(m, id, -1, j->error);
			job_free(j);
		}
	}
	if (batched > 0)
		maildir_publish(m, batch, batched);
	/* a finished transfer kicks again; otherwise come back for the rest
	 * (maildir's batch is done by now: its slots are free), or when the
	 * rate allows */
	if ((more || limited) && m->in_flight < limit) {
		struct timeval tv = {d->cfg.mail_rate > 0 ? 1 : 0, 0};
		evtimer_add(m->timer, &tv);
	}
}

void mailer_kick(struct adfd *d)
{
	struct mailer *m = d->mailer;
	struct timeval soon = {0, KICK_DELAY_USEC};
	if (m && !evtimer_pending(m->timer, NULL))
		evtimer_add(m->timer, &soon);
}

int mailer_in_flight(const struct adfd *d)
{
	return d->mailer ? d->mailer->in_flight : 0;
}

int mailer_start(struct adfd *d)
{
	struct mailer *m = calloc(1, sizeof *m);
	if (!m)
		return -1;
	m->d = d;
	d->mailer = m;
	m->outcomes_tail = &m->outcomes;
	m->timer = evtimer_new(d->base, drain, m);
	m->record_timer = evtimer_new(d->base, on_record_timer, m);
	m->retry_timer = evtimer_new(d->base, drain, m);
	if (!m->timer || !m->record_timer || !m->retry_timer)
		return -1;
	if (d->cfg.mail_transport == MAIL_MAILDIR && maildir_prepare(d->cfg.maildir) < 0)
		return -1;
	if (d->cfg.mail_transport == MAIL_SMTP) {
		m->multi = curl_multi_init();
		m->curl_timer = evtimer_new(d->base, on_curl_timer, m);
		if (!m->multi || !m->curl_timer)
			return -1;
		curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, curl_socket_cb);
		curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
		curl_multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb);
		curl_multi_setopt(m->multi, CURLMOPT_TIMERDATA, m);
		curl_multi_setopt(m->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
				  (long)d->cfg.mail_max_connections);
	}
	if (d->cfg.mail_transport == MAIL_SENDMAIL) {
		m->sigchld = evsignal_new(d->base, SIGCHLD, on_sigchld, m);
		if (!m->sigchld || event_add(m->sigchld, NULL) < 0)
			return -1;
	}
	log_info("mail: transport %s", transport_name(d->cfg.mail_transport));
	mailer_kick(d);
	arm_retry(m);
	return 0;
}

void mailer_stop(struct adfd *d)
{
	struct mailer *m = d->mailer;
	if (!m)
		return;
	/* what is in flight stays "sending": the next start sends it again */
	while (m->jobs)
		job_free(m->jobs);
	record_outcomes(m);
	/* claimed, never started: as if never claimed */
	struct adf_error err;
	for (; m->claimed_next < m->claimed_count; m->claimed_next++)
		if (outbox_unclaim(d->db, &err, m->claimed[m->claimed_next]) < 0)
			log_error("outbox: %s", err.message);
	while (m->outcomes) {
		struct outcome *o = m->outcomes;
		m->outcomes = o->next;
		free(o->error);
		free(o);
	}
	if (m->record_timer)
		event_free(m->record_timer);
	if (m->retry_timer)
		event_free(m->retry_timer);
	if (m->multi)
		curl_multi_cleanup(m->multi);
	if (m->curl_timer)
		event_free(m->curl_timer);
	if (m->sigchld)
		event_free(m->sigchld);
	if (m->timer)
		event_free(m->timer);
	free(m);
	d->mailer = NULL;
}

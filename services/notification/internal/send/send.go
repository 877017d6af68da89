// Package send hands the notification service's e-mails to an SMTP server, once each.
//
// A message is sent in the transaction that locks it, and two things must happen together: the server
// accepting it (the final "." of DATA) and the transaction that marks it sent committing. Neither can wait
// for the other without a window in which a crash makes them disagree, a round trip long: commit first and a
// crash before the "." loses the e-mail; write the "." first and a crash before the commit sends it twice.
// So the text goes to the server up to the ".", the row is marked sent (uncommitted), and then the COMMIT
// and the "." are written at once, each on its own goroutine, before either answer is awaited. A crash
// before both are written leaves the server an unfinished DATA, which it discards, and the message pending;
// after both, it is sent and marked so; only a crash between the two writes, microseconds apart, can make
// them disagree. A refusal at the "." marks the message pending again (or failed, after the last attempt),
// with the server's answer.
package send

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/notification/internal/store"
)

// Settings are the SMTP server's and the sender's.
type Settings struct {
	Host         string        `env:"SMTP_HOST" help:"the SMTP server that sends the e-mails (make run: the Mailpit it starts)"`
	Port         int           `env:"SMTP_PORT" help:"its port"`
	TLS          string        `env:"SMTP_TLS" help:"none, starttls (upgrade the connection; required when offered) or tls (implicit TLS, e.g. port 465)"`
	Username     string        `env:"SMTP_USERNAME" help:"user to authenticate as (PLAIN, over TLS only); empty sends without authenticating"`
	PasswordFile string        `env:"SMTP_PASSWORD_FILE" help:"file holding the SMTP password (a mounted Secret)"`
	From         string        `env:"SMTP_FROM" help:"the From address of every e-mail"`
	Interval     time.Duration `env:"SEND_INTERVAL" help:"how long the sender waits, when nothing is due, before looking again"`
	MaxAttempts  int           `env:"SEND_MAX_ATTEMPTS" help:"attempts at an e-mail before it is given up (failed)"`
	Backoff      time.Duration `env:"SEND_BACKOFF" help:"wait after a first failed attempt; it doubles with each failure, up to an hour"`
}

// DefaultSettings send through a local catcher (Mailpit's default port) without TLS.
func DefaultSettings() Settings {
	return Settings{Host: "127.0.0.1", Port: 1025, TLS: "none", From: "Partnerskap <noreply@partnerskap.local>",
		Interval: time.Second, MaxAttempts: 10, Backoff: 30 * time.Second}
}

// Validate checks the settings before the sender starts.
func (s Settings) Validate() error {
	switch {
	case s.TLS != "none" && s.TLS != "starttls" && s.TLS != "tls":
		return fmt.Errorf("SMTP_TLS is %q; use none, starttls or tls", s.TLS)
	case s.Username != "" && s.TLS == "none":
		return errors.New("SMTP_USERNAME is set without TLS: a password is never sent in the clear; set SMTP_TLS")
	case s.MaxAttempts < 1 || s.Backoff <= 0 || s.Interval <= 0:
		return errors.New("SEND_MAX_ATTEMPTS, SEND_BACKOFF and SEND_INTERVAL must be positive")
	}
	_, err := mailAddress(s.From)
	return err
}

// Sender sends the messages due.
type Sender struct {
	Pool     *pgxpool.Pool
	Settings Settings
	// Now is the clock (tests replace it).
	Now func() time.Time
}

// Run sends the messages due until ctx ends.
func (s Sender) Run(ctx context.Context) error {
	for {
		sent, err := s.SendDue(ctx)
		if err != nil && ctx.Err() == nil {
			slog.Warn("sending e-mails", "err", err)
		}
		if sent > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(s.Settings.Interval):
		}
	}
}

// SendDue sends every message due now, one at a time, and returns how many it handed over.
func (s Sender) SendDue(ctx context.Context) (int, error) {
	sent := 0
	for {
		done, err := s.sendOne(ctx)
		if errors.Is(err, errUnreachable) {
			return sent, nil // the server is down: the rest waits for the next round, not a timeout each
		}
		if err != nil || !done {
			return sent, err
		}
		sent++
	}
}

// errUnreachable marks a message not sent because the server could not be reached (recorded as a failed
// attempt).
var errUnreachable = errors.New("the SMTP server could not be reached")

// sendOne sends the next message due; done is false when none is.
func (s Sender) sendOne(ctx context.Context) (done bool, err error) {
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	m, ok, err := store.NextDue(ctx, tx, s.now())
	if err != nil || !ok {
		return false, err
	}
	attempt := m.Attempts + 1
	committing, committed := false, false
	markSent := func() error { return store.MarkSent(ctx, tx, m.ID, attempt, s.now()) }
	commit := func() error {
		committing = true
		err := tx.Commit(ctx)
		committed = err == nil
		return err
	}
	sendErr := s.deliver(ctx, m, markSent, commit)
	switch {
	case sendErr == nil:
		return true, nil
	case !committed && (committing || tx.Conn().IsClosed()):
		return false, sendErr // the database failed mid-send: the message is still pending
	}
	retry := time.Time{}
	if attempt < s.Settings.MaxAttempts {
		retry = s.now().Add(backoff(s.Settings.Backoff, attempt))
	}
	reason := sendErr.Error()
	if len(reason) > 500 {
		reason = reason[:500]
	}
	slog.Warn("e-mail not sent", "message", m.ID, "attempt", attempt, "err", sendErr, "retry", retry)
	if committed { // marked sent, then refused at the ".": correct the mark
		return true, store.MarkFailed(ctx, s.Pool, m.ID, attempt, reason, retry)
	}
	if err := store.MarkFailed(ctx, tx, m.ID, attempt, reason, retry); err != nil {
		return false, err
	}
	if err := tx.Commit(ctx); err != nil {
		return false, err
	}
	if errors.Is(sendErr, errUnreachable) {
		return false, errUnreachable
	}
	return true, nil
}

// backoff is the wait after the n-th failed attempt: base doubled n-1 times, at most an hour.
func backoff(base time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func (s Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return record.Now()
}

// deliver writes m to the SMTP server: its text, then markSent, then the final "." and commit at once (see
// the package comment). It returns the server's refusal, or commit's error.
func (s Sender) deliver(ctx context.Context, m store.Message, markSent, commit func() error) error {
	c, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("%w: %v", errUnreachable, err)
	}
	defer c.Close()
	from, _ := mailAddress(s.Settings.From)
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, format(s.Settings.From, m)); err != nil {
		return err
	}
	if err := markSent(); err != nil {
		return err // the connection closes without the ".": the server discards the message
	}
	committed := make(chan error, 1)
	go func() { committed <- commit() }()
	refused := w.Close() // the ".", and the server's answer
	if err := <-committed; err != nil {
		if refused == nil {
			// Accepted, but not recorded: the message stays pending and will be sent again. Only a database
			// failure at this very moment does this.
			slog.Error("e-mail accepted by the server but not marked sent; it will be sent again", "message", m.ID, "err", err)
		}
		return err
	}
	if refused != nil {
		return fmt.Errorf("the server refused the message: %w", refused)
	}
	_ = c.Quit()
	return nil
}

// dial connects and greets the server, with TLS as set, and authenticates when a user is set.
func (s Sender) dial(ctx context.Context) (*smtp.Client, error) {
	addr := net.JoinHostPort(s.Settings.Host, strconv.Itoa(s.Settings.Port))
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	var conn net.Conn
	var err error
	if s.Settings.TLS == "tls" {
		conn, err = tls.DialWithDialer(dialer, "tcp", addr, &tls.Config{ServerName: s.Settings.Host, MinVersion: tls.VersionTLS12})
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	c, err := smtp.NewClient(conn, s.Settings.Host)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := c.Hello("partnerskap"); err != nil {
		c.Close()
		return nil, err
	}
	if s.Settings.TLS == "starttls" {
		if err := c.StartTLS(&tls.Config{ServerName: s.Settings.Host, MinVersion: tls.VersionTLS12}); err != nil {
			c.Close()
			return nil, err
		}
	}
	if s.Settings.Username != "" {
		password, err := os.ReadFile(s.Settings.PasswordFile)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("read SMTP_PASSWORD_FILE: %w", err)
		}
		if err := c.Auth(smtp.PlainAuth("", s.Settings.Username, strings.TrimSpace(string(password)), s.Settings.Host)); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// mailAddress is the bare address of "Name <address>" or "address".
func mailAddress(s string) (string, error) {
	if i, j := strings.LastIndex(s, "<"), strings.LastIndex(s, ">"); i >= 0 && j > i {
		s = s[i+1 : j]
	}
	if !strings.Contains(s, "@") {
		return "", fmt.Errorf("SMTP_FROM %q is not an e-mail address", s)
	}
	return strings.TrimSpace(s), nil
}

// format writes m as an RFC 5322 message in UTF-8; its Message-ID is the message's id, so a copy is known.
func format(from string, m store.Message) string {
	var b strings.Builder
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", mime.QEncoding.Encode("utf-8", from))
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", m.CreateTime.Format(time.RFC1123Z))
	header("Message-ID", "<"+m.ID+"@partnerskap>")
	header("Content-Language", m.Language)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "8bit")
	header("X-Partnerskap-Kind", m.Kind)
	b.WriteString("\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n"))
	return b.String()
}

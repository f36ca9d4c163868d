// Package approval lets a person without a desk account — a 书记 or a
// 院长 who today approves by WeChat — decide on a story's review step:
// Newsdesk mails them a signed, expiring, single-use link to a page that
// shows the story as it will appear, where they approve it or return it
// with a comment. The decision is recorded with their name and address in
// the story's history and the audit log; the link can be revoked.
//
// A link is /approve/ID.EXPIRES.SIGNATURE: the signature is an HMAC-SHA256,
// under the site's secret (kept in the settings), of the id, the expiry
// and a random nonce that only the database holds, so a link cannot be
// made or altered without the secret and the row. The row makes it
// single-use and revocable.
package approval

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/article"
	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
)

// SecretSetting is the settings key of the site's link-signing secret,
// made on first use.
const SecretSetting = "approval.secret"

// Link lifetimes: the default, and the bounds an editor may choose within.
const (
	DefaultTTL = 72 * time.Hour
	MinTTL     = time.Hour
	MaxTTL     = 30 * 24 * time.Hour
)

// Decisions an outside approver can take.
const (
	Approve = "approve"
	Return  = "return"
)

// Refusal says why a link cannot be used; Code names the catalogue text
// ("approver.refused.<Code>") of the page that says so.
type Refusal struct{ Code string }

func (r *Refusal) Error() string { return "approver link refused: " + r.Code }

// Why a link is refused.
var (
	ErrAltered = &Refusal{"altered"} // not a link Newsdesk made: unknown, or changed
	ErrExpired = &Refusal{"expired"}
	ErrUsed    = &Refusal{"used"}
	ErrRevoked = &Refusal{"revoked"}
	// ErrMoved: the story no longer waits at the step the link was for.
	ErrMoved = &Refusal{"moved"}
)

// Service makes, opens, decides on and revokes outside approvers' links.
type Service struct {
	Store Store
	Mail  *newsmail.Outbox
	// BaseURL is the site's public address: approvers are outside the
	// desk's network, so links point at the public site.
	BaseURL string
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Decided applies an approver's decision to the story in tx, the
	// transaction that spends the link: the review chain's step moves on,
	// or the story goes back to its author. It returns the story as saved
	// and the event recorded.
	Decided func(ctx context.Context, tx store.Store, a model.Article, l model.ApproverLink) (model.Article, model.Event, error)
	// Changed is called after a decision changed a story.
	Changed func()
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// CanSend reports whether u may give story a's current step to an outside
// approver: editors, and whoever may take that step.
func CanSend(u model.User, a model.Article) bool {
	_, st, ok := review.Current(a)
	return ok && (u.CanPublish() || review.Holds(u, st, a))
}

// InReview reports whether a waits at a review step.
func InReview(a model.Article) bool { return review.InReview(a) }

// Step is the number (from 1) of the step a waits at.
func Step(a model.Article) int {
	i, _, _ := review.Current(a)
	return i + 1
}

// secret returns the site's signing secret, making it the first time.
func (s *Service) secret(ctx context.Context, st Store) ([]byte, error) {
	settings, err := st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if v := settings[SecretSetting]; v != "" {
		return hex.DecodeString(v)
	}
	b := make([]byte, 32)
	rand.Read(b)
	if err := st.SetSetting(ctx, SecretSetting, hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	return b, nil
}

func sign(secret []byte, purpose string, l model.ApproverLink) string {
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "%s|%d|%d|%s", purpose, l.ID, l.ExpiresAt.Unix(), l.Nonce)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Token is the link's last path segment.
func token(secret []byte, l model.ApproverLink) string {
	return strconv.FormatInt(l.ID, 10) + "." + strconv.FormatInt(l.ExpiresAt.Unix(), 10) + "." + sign(secret, "link", l)
}

// URL is the address of link l.
func (s *Service) url(secret []byte, l model.ApproverLink) string {
	return strings.TrimSuffix(s.BaseURL, "/") + "/approve/" + token(secret, l)
}

// Send gives story id's current step to an outside approver: it makes the
// link, valid for ttl (DefaultTTL when 0), and in the same transaction
// queues the mail that carries it. It returns the link and its URL (the
// desk shows it once, for sending another way when no mail server is set).
func (s *Service) Send(ctx context.Context, actor model.Actor, id int64, name, email string, ttl time.Duration) (model.ApproverLink, string, error) {
	var l model.ApproverLink
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return l, "", model.Invalid("approver_name")
	case utf8.RuneCountInString(name) > 40:
		return l, "", model.Invalid("approver_name_long", 40)
	}
	email, err := newsmail.CheckAddress(email)
	if err != nil {
		return l, "", err
	}
	if ttl == 0 {
		ttl = DefaultTTL
	}
	if ttl < MinTTL || ttl > MaxTTL {
		return l, "", model.Invalid("approver_ttl", int(MinTTL.Hours()), int(MaxTTL.Hours()))
	}
	var link string
	err = s.Store.Tx(ctx, func(tx store.Store) error {
		a, err := tx.Article(ctx, id)
		if err != nil {
			return err
		}
		if !CanSend(actor.User, a) {
			if InReview(a) {
				return fmt.Errorf("%w: send article %d to an outside approver", model.ErrForbidden, id)
			}
			return model.Invalid("approver_not_in_review")
		}
		secret, err := s.secret(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		l = model.ApproverLink{ArticleID: a.ID, StepID: int64(Step(a)), Version: a.Version, Name: name, Email: email,
			Nonce: rand.Text(), CreatedBy: actor.User.ID, CreatedAt: now, ExpiresAt: now.Add(ttl).Truncate(time.Second)}
		if err := tx.CreateApproverLink(ctx, &l); err != nil {
			return err
		}
		link = s.url(secret, l)
		e := actor.Audit("approver_link", "article "+strconv.FormatInt(a.ID, 10), fmt.Sprintf("%s <%s>, link %d until %s", name, email, l.ID, l.ExpiresAt.Format(time.RFC3339)))
		e.At = now
		if err := tx.AddAudit(ctx, e); err != nil {
			return err
		}
		return s.Mail.Queue(ctx, tx, s.message(ctx, tx, actor, a, l, link))
	})
	if err != nil {
		return model.ApproverLink{}, "", err
	}
	s.Mail.Wake()
	return l, link, nil
}

// message is the mail that carries link to the approver.
func (s *Service) message(ctx context.Context, tx Store, actor model.Actor, a model.Article, l model.ApproverLink, link string) newsmail.Message {
	settings, _ := tx.Settings(ctx) // read in Send's transaction already
	setting := func(k string) string {
		if v := settings[k]; v != "" {
			return v
		}
		return site.Defaults[k]
	}
	sender := setting("site.name") + " " + actor.User.Name
	tz, err := time.LoadLocation(setting("site.timezone"))
	if err != nil {
		tz = time.UTC
	}
	m := newsmail.Message{To: l.Email, ToName: l.Name,
		Subject: newsmail.T("mail.approver.subject", a.Title),
		Paragraphs: []newsmail.Text{
			newsmail.T("mail.approver.greeting", l.Name),
			newsmail.T("mail.approver.body", sender, a.Title),
			newsmail.T("mail.approver.expires", l.ExpiresAt.In(tz).Format("2006-01-02 15:04")),
		},
		Link: link, LinkText: newsmail.T("mail.approver.link")}
	m.Footer = newsmail.T("mail.footer", setting("site.name"))
	return m
}

// Opened is what a valid link shows: the link, its story, and the token
// the decision form must carry back.
type Opened struct {
	Link      model.ApproverLink
	Article   model.Article
	FormToken string
}

// check verifies token against the store and returns its link and story;
// the error is a *Refusal when the link may not be used.
func (s *Service) check(ctx context.Context, st Store, tok string) (model.ApproverLink, model.Article, []byte, error) {
	var l model.ApproverLink
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return l, model.Article{}, nil, ErrAltered
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return l, model.Article{}, nil, ErrAltered
	}
	l, err := st.ApproverLink(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return l, model.Article{}, nil, ErrAltered
	} else if err != nil {
		return l, model.Article{}, nil, err
	}
	secret, err := s.secret(ctx, st)
	if err != nil {
		return l, model.Article{}, nil, err
	}
	if exp != l.ExpiresAt.Unix() || !hmac.Equal([]byte(parts[2]), []byte(sign(secret, "link", l))) {
		return l, model.Article{}, nil, ErrAltered
	}
	switch {
	case !l.RevokedAt.IsZero():
		return l, model.Article{}, nil, ErrRevoked
	case !l.UsedAt.IsZero():
		return l, model.Article{}, nil, ErrUsed
	case !s.now().Before(l.ExpiresAt):
		return l, model.Article{}, nil, ErrExpired
	}
	a, err := st.Article(ctx, l.ArticleID)
	if err != nil {
		return l, a, nil, err
	}
	if !InReview(a) || int64(Step(a)) != l.StepID {
		return l, a, nil, ErrMoved
	}
	return l, a, secret, nil
}

// Open checks a link and returns what its page shows.
func (s *Service) Open(ctx context.Context, tok string) (Opened, error) {
	l, a, secret, err := s.check(ctx, s.Store, tok)
	if err != nil {
		return Opened{}, err
	}
	return Opened{Link: l, Article: a, FormToken: sign(secret, "form", l)}, nil
}

// Decide records an approver's decision through link tok: formToken must
// be the one the page gave (the form cannot be posted from elsewhere),
// a return needs a comment. The link is spent, the story moves and the
// decision is audited with the approver's name and address, in one
// transaction; of two decisions at once, one wins and the other is
// refused as used.
func (s *Service) Decide(ctx context.Context, tok, formToken, decision, comment, ip string) (model.ApproverLink, error) {
	comment = strings.TrimSpace(comment)
	switch {
	case decision != Approve && decision != Return:
		return model.ApproverLink{}, model.Invalid("action", decision)
	case decision == Return && comment == "":
		return model.ApproverLink{}, model.Invalid("comment_required")
	case utf8.RuneCountInString(comment) > 2000:
		return model.ApproverLink{}, model.Invalid("comment_long", 2000)
	}
	var l model.ApproverLink
	err := s.Store.Tx(ctx, func(tx store.Store) error {
		var a model.Article
		var secret []byte
		var err error
		if l, a, secret, err = s.check(ctx, tx, tok); err != nil {
			return err
		}
		if !hmac.Equal([]byte(formToken), []byte(sign(secret, "form", l))) {
			return fmt.Errorf("%w: the decision form does not belong to approver link %d", model.ErrForbidden, l.ID)
		}
		now := s.now()
		l.UsedAt, l.Decision, l.Comment, l.IP = now, decision, comment, ip
		ok, err := tx.UseApproverLink(ctx, l)
		if err != nil {
			return err
		}
		if !ok {
			return ErrUsed
		}
		if s.Decided == nil {
			return errors.New("approval: no review step to record the decision on")
		}
		_, ev, err := s.Decided(ctx, tx, a, l)
		if err != nil {
			return err
		}
		actor := model.Actor{IP: ip, Via: "approver"}
		e := actor.Audit("approver_"+decision, "article "+strconv.FormatInt(a.ID, 10), fmt.Sprintf("%s <%s>, link %d: %s → %s", l.Name, l.Email, l.ID, ev.From, ev.To))
		e.At = now
		return tx.AddAudit(ctx, e)
	})
	if err != nil {
		return model.ApproverLink{}, err
	}
	if s.Changed != nil {
		s.Changed()
	}
	return l, nil
}

// Links returns story id and its links, for someone who may open it in
// the desk.
func (s *Service) Links(ctx context.Context, actor model.Actor, id int64) (model.Article, []model.ApproverLink, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, nil, err
	}
	if !article.CanView(actor.User, a) {
		return a, nil, fmt.Errorf("%w: approver links of article %d", model.ErrForbidden, id)
	}
	ls, err := s.Store.ApproverLinks(ctx, id)
	return a, ls, err
}

// Revoke revokes an unused link so it is refused from now on; editors and
// whoever may send the story's step may.
func (s *Service) Revoke(ctx context.Context, actor model.Actor, linkID int64) (model.ApproverLink, error) {
	var l model.ApproverLink
	err := s.Store.Tx(ctx, func(tx store.Store) error {
		var err error
		if l, err = tx.ApproverLink(ctx, linkID); err != nil {
			return err
		}
		a, err := tx.Article(ctx, l.ArticleID)
		if err != nil {
			return err
		}
		if !actor.User.CanPublish() && !CanSend(actor.User, a) {
			return fmt.Errorf("%w: revoke approver link %d", model.ErrForbidden, linkID)
		}
		now := s.now()
		ok, err := tx.RevokeApproverLink(ctx, linkID, now)
		if err != nil {
			return err
		}
		if !ok {
			return model.Invalid("approver_link_spent")
		}
		l.RevokedAt = now
		e := actor.Audit("approver_revoke", "article "+strconv.FormatInt(a.ID, 10), fmt.Sprintf("%s <%s>, link %d", l.Name, l.Email, l.ID))
		e.At = now
		return tx.AddAudit(ctx, e)
	})
	return l, err
}

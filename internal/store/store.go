// Package store defines the one interface every storage backend
// implements, and the queries it answers; the entities are package
// model's. Backends live in sub-packages; the suite in storetest is run
// against each of them.
package store

import (
	"context"
	"time"

	"newsdesk/internal/model"
)

// AuditQuery selects audit entries. Zero fields do not filter.
type AuditQuery struct {
	UserID int64
	Action string
	Target string    // a part of the target, e.g. "article 12"
	From   time.Time // From <= At
	To     time.Time // At < To
	Limit  int
	Offset int // newest first, with a total
	// Ascending pages by id from AfterID, oldest first, without a total:
	// reading the whole log in keyset pages (verify, export).
	Ascending bool
	AfterID   int64
}

// ArticleQuery selects articles. Zero fields do not filter.
type ArticleQuery struct {
	ColumnIDs []int64
	Status    string
	// PublishedBy keeps articles published at or before this time.
	PublishedBy time.Time
	// From and To bound PublishedAt: From <= t < To.
	From, To time.Time
	Limit    int
	Offset   int
	// OldestFirst reverses the order (used to find the next article).
	OldestFirst bool
	// NoTotal skips counting all matches; the total returned is then -1.
	NoTotal bool
	// NoBody leaves the bodies empty (lists of cards): a long body is
	// pages of its own, read for nothing from a cold disk.
	NoBody bool
	// ByID orders by id and keeps the ids above AfterID: paging through
	// every article without OFFSET, whose cost grows with the page number.
	ByID    bool
	AfterID int64
	// After keeps the articles listed after this one, newest first
	// (published before it, or at its time with a lower id; zero ID:
	// from the newest): keyset pages of one column in its index order.
	After model.ArticleStub
	// AuthorID and UnitID keep one author's or one unit's articles.
	AuthorID int64
	UnitID   int64
}

// ListQuery selects the desk's story list (稿件管理): every state, newest
// first by publication or by update time, in keyset pages — page 500
// costs what page 1 does. Zero fields do not filter.
type ListQuery struct {
	ColumnIDs []int64
	Status    string
	UnitID    int64
	AuthorID  int64
	// From and To bound the sort time (publication or update): From <= t < To.
	From, To time.Time
	// HasPhotos keeps the stories that use at least one picture.
	HasPhotos bool
	// ByUpdate sorts by update time; otherwise by publication time
	// (stories never published last).
	ByUpdate bool
	// After continues the list after this key (the last row of the page
	// before); Before goes back: the page that ends just before it. Both
	// zero: the first page.
	After, Before ListKey
	Limit         int
}

// ListKey is a story's place in a ListQuery's order: its sort time and id.
type ListKey struct {
	At time.Time
	ID int64
}

// FiguresQuery asks for the desk's figures over a period, From <= t < To,
// within a scope: one unit's or one author's stories (0: everyone's).
type FiguresQuery struct {
	From, To time.Time
	UnitID   int64
	AuthorID int64
}

// UnitFigures are one unit's stories in a period (UnitID 0: no unit):
// Submitted counts the stories sent for review in it (once each, however
// often), Published those published in it that are up now.
type UnitFigures struct {
	UnitID    int64
	Submitted int
	Published int
}

// MediaQuery selects media for the library, newest first. Text matches the
// caption, alt text, credit, file name or uploader's name.
type MediaQuery struct {
	Text     string
	Images   bool   // images only, no attachments
	Checksum string // the files with these bytes
	Limit    int
	Offset   int
	// ByID orders by id and keeps the ids above AfterID, without a total
	// (-1): paging through the whole library by keyset (the site archive).
	ByID    bool
	AfterID int64
}

// SearchDoc is an article's search tokens, made by package search: the
// phrase columns hold bigrams and words, the chars columns single Chinese
// characters, all separated by spaces.
type SearchDoc struct {
	Title, Body           string
	TitleChars, BodyChars string
}

// SearchTerm is one part of a query: its tokens must appear adjacent, in
// order, in the title or the body. Chars terms search single characters;
// Prefix lets the last token match the start of a longer one.
type SearchTerm struct {
	Tokens []string
	Chars  bool
	Prefix bool
}

// SearchQuery finds articles whose text matches every term. Ranking and
// paging are package search's.
type SearchQuery struct {
	Terms       []SearchTerm
	Statuses    []string // empty = any state
	PublishedBy time.Time
	ColumnIDs   []int64
	From, To    time.Time // bounds on PublishedAt
	// Max bounds the matches found (0: SearchMax), taken newest first: a
	// word found in most articles then costs no more than a rare one. As
	// many again may come from title matches. A total equal to Max means
	// "Max or more".
	Max int
	// AuthorID and UnitID keep one author's or one unit's articles (the desk).
	AuthorID int64
	UnitID   int64
}

// SearchMax is the default bound on the matches of one search.
const SearchMax = 500

// SearchMatch is an article that matched, with what ranking needs.
type SearchMatch struct {
	ID          int64
	PublishedAt time.Time
	TitleLen    int  // in characters
	InTitle     bool // every term matched in the title
}

// Store is the persistence interface. Every method that can miss returns an
// error wrapping ErrNotFound.
type Store interface {
	Close() error
	// Tx runs fn with a Store whose every method runs in one transaction:
	// committed when fn returns nil, rolled back otherwise. A change and its
	// audit entry are written through one Tx.
	Tx(ctx context.Context, fn func(Store) error) error

	CreateColumn(ctx context.Context, c *model.Column) error
	UpdateColumn(ctx context.Context, c *model.Column) error
	Columns(ctx context.Context) ([]model.Column, error)

	CreateArticle(ctx context.Context, a *model.Article) error
	// UpdateArticle saves a whose Version must equal the stored one (else
	// ErrConflict); on success a.Version is incremented.
	UpdateArticle(ctx context.Context, a *model.Article) error
	Article(ctx context.Context, id int64) (model.Article, error)
	// Articles returns one page of matching articles, newest first, and the
	// total number of matches.
	Articles(ctx context.Context, q ArticleQuery) ([]model.Article, int, error)
	// ListArticles returns one keyset page of the desk's story list,
	// without bodies, in the query's order.
	ListArticles(ctx context.Context, q ListQuery) ([]model.Article, error)
	// CountArticles counts the stories q selects, whatever its keys and limit.
	CountArticles(ctx context.Context, q ListQuery) (int, error)
	// Figures counts the stories submitted and published in a period, by
	// unit, in unit order.
	Figures(ctx context.Context, q FiguresQuery) ([]UnitFigures, error)
	// PublishedStubs returns one keyset page of published articles without
	// their bodies, newest first.
	PublishedStubs(ctx context.Context, q model.StubQuery) ([]model.ArticleStub, error)
	// UpdatedStubs returns one keyset page, by id after after, of the
	// articles in any state updated at or after since, and of the
	// published ones whose publish time is at or after since (a story
	// that became public when its time came): what changed on the public
	// site since then, withdrawals included.
	UpdatedStubs(ctx context.Context, since time.Time, after int64, limit int) ([]model.ArticleStub, error)
	// PublishedDays counts the published articles of the given columns (all
	// when empty) per day, newest first, for archives: days in the zone
	// offset seconds east of UTC. One row a day, whatever the archive's size.
	PublishedDays(ctx context.Context, columnIDs []int64, by time.Time, offset int) ([]model.DayCount, error)
	// PublishedDaysIn is PublishedDays for the local days first to last
	// (day numbers as in model.DayCount, inclusive) only.
	PublishedDaysIn(ctx context.Context, columnIDs []int64, first, last int64, by time.Time, offset int) ([]model.DayCount, error)
	// PublishedMonths is PublishedDays summed per local month, each month
	// dated by its newest day with stories.
	PublishedMonths(ctx context.Context, columnIDs []int64, by time.Time, offset int) ([]model.DayCount, error)
	AddViews(ctx context.Context, counts map[int64]int64) error

	// TransitionArticle saves a like UpdateArticle and records ev with it,
	// in one transaction.
	TransitionArticle(ctx context.Context, a *model.Article, ev model.Event) error
	Events(ctx context.Context, articleID int64) ([]model.Event, error)
	// ReviewEvents lists the review decisions (events with a step) that
	// q selects, oldest first.
	ReviewEvents(ctx context.Context, q model.ReviewEventQuery) ([]model.Event, error)
	// ReviewChains lists the columns' own review chains.
	ReviewChains(ctx context.Context) ([]model.ReviewChain, error)
	// SetReviewChain saves a column's chain; no steps removes it (the
	// column then takes its parent's).
	SetReviewChain(ctx context.Context, c model.ReviewChain) error
	// ReviewInbox returns the stories waiting at a step held by any of
	// the holder keys, the longest waiting first, and their number.
	ReviewInbox(ctx context.Context, holders []string, limit int) ([]model.Article, int, error)
	// Versions lists an article's saved versions, oldest first.
	Versions(ctx context.Context, articleID int64) ([]model.Version, error)

	// SaveWorkingCopy saves the working copy of story wc.ID, read at
	// wc.Version (else ErrConflict): the story's version goes up and the
	// copy's text is kept in its history, while its published fields stay
	// as they are. On success wc.Version is the new version.
	SaveWorkingCopy(ctx context.Context, wc *model.WorkingCopy) error
	// MoveWorkingCopy saves where a working copy read at wc.Version
	// stands in its correction chain (wc.Status, wc.Review, its waiting
	// keys) and records ev, a decision on it: the story's version goes up
	// (else ErrConflict), its published fields stay as they are.
	MoveWorkingCopy(ctx context.Context, wc *model.WorkingCopy, ev model.Event) error
	// WorkingCopy returns the working copy of a story.
	WorkingCopy(ctx context.Context, articleID int64) (model.WorkingCopy, error)
	// WorkingCopies returns the working copies of those of the stories
	// ids that have one, by story id.
	WorkingCopies(ctx context.Context, ids []int64) (map[int64]model.WorkingCopy, error)
	// DeleteWorkingCopy removes the working copy of a story.
	DeleteWorkingCopy(ctx context.Context, articleID int64) error

	// AcquireLock takes or renews the edit lock of l.ArticleID for
	// l.UserID, when nobody holds it, l.UserID does, the holder's last
	// heartbeat is before staleBefore, or force (a take-over) is set. It
	// returns the lock as it stands afterwards: another user's when it
	// was not taken. Since stays while the same user keeps the lock.
	AcquireLock(ctx context.Context, l model.EditLock, staleBefore time.Time, force bool) (model.EditLock, error)
	// EditLock returns the edit lock of a story.
	EditLock(ctx context.Context, articleID int64) (model.EditLock, error)
	// ReleaseLock removes the edit lock of a story if userID holds it
	// under token; otherwise it changes nothing.
	ReleaseLock(ctx context.Context, articleID, userID int64, token string) error

	// CreateAnnotation stores an annotation or reply and sets its ID.
	CreateAnnotation(ctx context.Context, a *model.Annotation) error
	// Annotation returns one annotation or reply.
	Annotation(ctx context.Context, id int64) (model.Annotation, error)
	// Annotations lists a story's annotations and replies, oldest first.
	Annotations(ctx context.Context, articleID int64) ([]model.Annotation, error)
	// ResolveAnnotation marks an annotation settled by a user at a time.
	ResolveAnnotation(ctx context.Context, id, userID int64, at time.Time) error

	CreateUnit(ctx context.Context, u *model.Unit) error
	UpdateUnit(ctx context.Context, u *model.Unit) error
	Units(ctx context.Context) ([]model.Unit, error)
	CreateUser(ctx context.Context, u *model.User) error
	User(ctx context.Context, id int64) (model.User, error)
	UserByName(ctx context.Context, username string) (model.User, error)
	Users(ctx context.Context) ([]model.User, error)
	// SetPassword replaces a user's password hash, set at a time, and
	// adds it to the user's password history, keeping the last keep.
	SetPassword(ctx context.Context, userID int64, hash string, at time.Time, keep int) error
	// PasswordHistory returns the last n password hashes of a user, the
	// newest (the current one) first.
	PasswordHistory(ctx context.Context, userID int64, n int) ([]string, error)
	// UpdateUser saves a user's name, roles, unit and whether it is disabled.
	UpdateUser(ctx context.Context, u *model.User) error

	// AddSignInFailure records a failed sign-in and forgets the failures
	// older than forgetBefore.
	AddSignInFailure(ctx context.Context, username, ip string, at, forgetBefore time.Time) error
	// CountSignInFailures counts the failures since a time that bear on a
	// sign-in of username from ip.
	CountSignInFailures(ctx context.Context, username, ip string, since time.Time) (model.SignInCounts, error)
	// SignInFailureList lists the failures since a time by account and
	// address, the newest first.
	SignInFailureList(ctx context.Context, since time.Time) ([]model.SignInFailures, error)
	// ClearSignInFailures forgets the failures of username from ip; an
	// empty one matches any (not both). It returns how many it forgot.
	ClearSignInFailures(ctx context.Context, username, ip string) (int, error)

	AddAudit(ctx context.Context, e model.AuditEntry) error
	// Audit returns a page of the audit log, newest first, and the total.
	Audit(ctx context.Context, limit, offset int) ([]model.AuditEntry, int, error)
	// AuditSearch returns matching entries and their number (-1 when
	// q.Ascending).
	AuditSearch(ctx context.Context, q AuditQuery) ([]model.AuditEntry, int, error)
	// AuditChainHead returns the head of the audit chain.
	AuditChainHead(ctx context.Context) (model.AuditChain, error)
	// PurgeAudit deletes the oldest entries, up to the first written at or
	// after before, and returns how many. Callers enforce the retention.
	PurgeAudit(ctx context.Context, before time.Time) (int, error)

	// CreateIdentity links an identity to a user; an identity already
	// linked is ErrConflict.
	CreateIdentity(ctx context.Context, i model.Identity) error
	// Identity returns the link of a provider's subject.
	Identity(ctx context.Context, provider, subject string) (model.Identity, error)
	// Identities lists the links of a user (0: of every user), by user.
	Identities(ctx context.Context, userID int64) ([]model.Identity, error)
	// SeenIdentity records a sign-in through an identity and the e-mail
	// address it came with.
	SeenIdentity(ctx context.Context, provider, subject, email string, at time.Time) error
	// DeleteIdentity removes a link.
	DeleteIdentity(ctx context.Context, provider, subject string) error
	// SetDepartmentUnit maps a department code to a unit; unitID 0 removes it.
	SetDepartmentUnit(ctx context.Context, code string, unitID int64) error
	// DepartmentUnits lists the mapping by code.
	DepartmentUnits(ctx context.Context) ([]model.DepartmentUnit, error)
	// TicketSession records that a campus ticket (a hash) opened a session
	// (a token hash), until expires; expired records are dropped.
	TicketSession(ctx context.Context, ticketHash, sessionHash string, expires time.Time) error
	// EndTicketSession deletes the session a ticket opened (single logout)
	// and returns its user's id; 0 when there was none.
	EndTicketSession(ctx context.Context, ticketHash string) (int64, error)

	CreateSession(ctx context.Context, s model.Session) error
	// Session returns an unexpired session by its token hash.
	Session(ctx context.Context, tokenHash string, now time.Time) (model.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	// TOTP returns a user's TOTP secret and when it was confirmed (zero:
	// set up, not confirmed); ErrNotFound when the user has none.
	TOTP(ctx context.Context, userID int64) (secret string, enabledAt time.Time, err error)
	// SetTOTP sets a user's TOTP secret and confirmation time (zero: not yet).
	SetTOTP(ctx context.Context, userID int64, secret string, enabledAt time.Time) error
	// UseTOTPStep records that a code of the given 30-second step was
	// accepted, and reports false if one of that step or a later one was
	// already: a code cannot be replayed.
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	// DeleteTOTP removes a user's second factor and recovery codes.
	DeleteTOTP(ctx context.Context, userID int64) error
	// SetRecoveryCodes replaces a user's recovery codes (hashes).
	SetRecoveryCodes(ctx context.Context, userID int64, hashes []string) error
	// UseRecoveryCode marks an unused code of the user used at a time and
	// reports whether there was one.
	UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error)
	// CreatePasskey stores a passkey and sets its ID; a credential id
	// stored already is ErrConflict.
	CreatePasskey(ctx context.Context, p *model.Passkey) error
	// Passkeys lists a user's passkeys, the oldest first.
	Passkeys(ctx context.Context, userID int64) ([]model.Passkey, error)
	// UsePasskey records a sign-in with passkey id: its new counter and
	// when. It reports false, changing nothing, when the counter is not
	// above the stored one (a clone answered at the same time), unless it
	// is 0 (an authenticator that keeps none), or when there is no such
	// passkey.
	UsePasskey(ctx context.Context, id int64, signCount uint32, at time.Time) (bool, error)
	// DeletePasskey removes passkey id of user userID (ErrNotFound if none);
	// id 0 removes all of the user's.
	DeletePasskey(ctx context.Context, userID, id int64) error
	// CreatePasskeyChallenge stores a ceremony under way and forgets the
	// expired ones.
	CreatePasskeyChallenge(ctx context.Context, c model.PasskeyChallenge) error
	// TakePasskeyChallenge returns and removes the unexpired challenge of
	// this kind and token hash: a challenge is answered once.
	TakePasskeyChallenge(ctx context.Context, tokenHash, kind string, now time.Time) (model.PasskeyChallenge, error)
	// Enrolled2FA clears a session's MustEnrol2FA.
	Enrolled2FA(ctx context.Context, tokenHash string) error
	// PasswordChanged clears a session's MustChangePassword.
	PasswordChanged(ctx context.Context, tokenHash string) error
	// TouchSession records that a session was used at a time.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// UserSessions lists a user's unexpired sessions, the newest first.
	UserSessions(ctx context.Context, userID int64, now time.Time) ([]model.Session, error)
	// DeleteSessions ends every session of a user except keep (a hash, or "").
	DeleteSessions(ctx context.Context, userID int64, keep string) error

	// CreateToken stores an API token and sets its ID.
	CreateToken(ctx context.Context, t *model.Token) error
	// TokenByHash returns the token with this hash.
	TokenByHash(ctx context.Context, tokenHash string) (model.Token, error)
	// Tokens lists a user's tokens, newest first.
	Tokens(ctx context.Context, userID int64) ([]model.Token, error)
	// DeleteToken removes token id of user userID (ErrNotFound if none).
	DeleteToken(ctx context.Context, userID, id int64) error
	// TouchToken records when a token was last used.
	TouchToken(ctx context.Context, id int64, at time.Time) error

	CreateMedia(ctx context.Context, m *model.Media) error
	Media(ctx context.Context, id int64) (model.Media, error)
	// MediaByIDs returns the media with these ids that exist.
	MediaByIDs(ctx context.Context, ids []int64) (map[int64]model.Media, error)
	// UpdateMedia saves the descriptive fields (name, caption, alt, credit).
	UpdateMedia(ctx context.Context, m *model.Media) error
	// MediaList returns a page of the library and the number of matches.
	MediaList(ctx context.Context, q MediaQuery) ([]model.Media, int, error)
	// SetMediaPublic marks a file public or takes the mark back.
	SetMediaPublic(ctx context.Context, id int64, public bool) error
	// SetMediaUnreadable records why a picture could not be decoded ("" clears it).
	SetMediaUnreadable(ctx context.Context, id int64, why string) error
	// MediaUses lists the articles that use a file (body or lead image).
	MediaUses(ctx context.Context, id int64) ([]model.Article, error)
	// DeleteMedia removes a record and its variants' records; a file in use
	// is refused with an InvalidError "media_in_use".
	DeleteMedia(ctx context.Context, id int64) error
	// SetVariants replaces the variants of a file.
	SetVariants(ctx context.Context, mediaID int64, vs []model.Variant) error
	// Variants returns the variants of these files, narrowest first.
	Variants(ctx context.Context, mediaIDs []int64) (map[int64][]model.Variant, error)
	VariantByKey(ctx context.Context, key string) (model.Variant, error)

	// EnqueueJob adds a job due at runAt, unless the same kind and ref waits already.
	EnqueueJob(ctx context.Context, kind string, ref int64, runAt time.Time) error
	// ClaimJob takes the oldest due job for lease; ErrNotFound when none.
	// No other process claims it until the lease ends.
	ClaimJob(ctx context.Context, now time.Time, lease time.Duration) (model.Job, error)
	// FinishJob deletes a job that succeeded.
	FinishJob(ctx context.Context, id int64) error
	// RetryJob records a failure; the job runs again at runAt, or never
	// when runAt is zero (given up; it stays for the operator to see).
	RetryJob(ctx context.Context, id int64, runAt time.Time, errText string) error
	// Jobs counts the jobs waiting, given up ones included, by kind.
	Jobs(ctx context.Context) (map[string]int, error)

	// QueueMail adds a message to the outbox and sets its ID.
	QueueMail(ctx context.Context, m *model.Mail) error
	// Mail returns an outbox message.
	Mail(ctx context.Context, id int64) (model.Mail, error)
	// MailList returns a page of the outbox, newest first, and its size.
	MailList(ctx context.Context, limit, offset int) ([]model.Mail, int, error)
	// UpdateMail saves a message's status, attempts, last error and sent time.
	UpdateMail(ctx context.Context, m *model.Mail) error
	// SetMailAddress sets a user's address and language; an empty address
	// removes them.
	SetMailAddress(ctx context.Context, a model.MailAddress) error
	// MailAddress returns a user's address; ErrNotFound when none is set.
	MailAddress(ctx context.Context, userID int64) (model.MailAddress, error)
	// AddNotification stores n and sets its ID; it reports false, adding
	// nothing, when one with the same OnceKey exists.
	AddNotification(ctx context.Context, n *model.Notification) (bool, error)
	// Notifications returns a user's newest notifications and how many are unread.
	Notifications(ctx context.Context, userID int64, limit int) ([]model.Notification, int, error)
	// ReadNotifications marks a user's notifications up to id upTo read.
	ReadNotifications(ctx context.Context, userID, upTo int64, at time.Time) error
	// CreateApproverLink stores a link and sets its ID.
	CreateApproverLink(ctx context.Context, l *model.ApproverLink) error
	// ApproverLink returns a link.
	ApproverLink(ctx context.Context, id int64) (model.ApproverLink, error)
	// ApproverLinks lists a story's links, the newest first.
	ApproverLinks(ctx context.Context, articleID int64) ([]model.ApproverLink, error)
	// UseApproverLink records a decision on an unused, unrevoked link and
	// reports whether it did: of two uses at once, one wins.
	UseApproverLink(ctx context.Context, l model.ApproverLink) (bool, error)
	// RevokeApproverLink revokes an unused link and reports whether it did.
	RevokeApproverLink(ctx context.Context, id int64, at time.Time) (bool, error)

	SetPlacement(ctx context.Context, p model.Placement) error
	// Placements lists a slot's placements in order, expired ones included.
	Placements(ctx context.Context, slot string) ([]model.Placement, error)
	RemovePlacement(ctx context.Context, slot string, articleID int64) error
	// SlotVersion is a slot's version, which every change to its
	// placements advances.
	SlotVersion(ctx context.Context, slot string) (int, error)
	// AdvanceSlot adds one to a slot's version (only while it is from, when
	// from >= 0: ErrConflict otherwise) and returns the new version.
	AdvanceSlot(ctx context.Context, slot string, from int) (int, error)
	// Placed returns the published, unexpired articles of a slot in slot order.
	Placed(ctx context.Context, slot string, now time.Time, limit, offset int) ([]model.Article, int, error)

	SavePage(ctx context.Context, p *model.Page) error
	Page(ctx context.Context, slug string) (model.Page, error)
	// DeletePage removes a page (ErrNotFound when there is none).
	DeletePage(ctx context.Context, slug string) error
	Pages(ctx context.Context) ([]model.Page, error)

	// IndexArticles stores (replacing) the search tokens of articles by id,
	// in one transaction: a rebuild indexes hundreds at a time.
	IndexArticles(ctx context.Context, docs map[int64]SearchDoc) error
	UnindexArticle(ctx context.Context, id int64) error
	// SearchMatches finds the articles matching q, each once: the newest
	// q.Max whose title matches (InTitle) and the newest q.Max that match
	// anywhere.
	SearchMatches(ctx context.Context, q SearchQuery) ([]SearchMatch, error)
	// ArticlesByIDs reads articles by id, in no order; missing ids are left out.
	ArticlesByIDs(ctx context.Context, ids []int64) ([]model.Article, error)
	// IndexedCount is the number of indexed articles, to detect a missing
	// or stale index.
	IndexedCount(ctx context.Context) (int, error)
	// ResetIndex empties the search index before a rebuild.
	ResetIndex(ctx context.Context) error

	// CheckRules returns the latest version of every content-check rule
	// list, by kind.
	CheckRules(ctx context.Context) ([]model.CheckRuleList, error)
	// CheckRuleVersions lists the versions of one list, newest first.
	CheckRuleVersions(ctx context.Context, kind string) ([]model.CheckRuleList, error)
	// SaveCheckRules stores l as its kind's next version and sets l.Version.
	SaveCheckRules(ctx context.Context, l *model.CheckRuleList) error
	// AddCheckAck stores an acknowledgement and sets its ID.
	AddCheckAck(ctx context.Context, a *model.CheckAck) error
	// CheckAcks lists a story's acknowledgements, oldest first.
	CheckAcks(ctx context.Context, articleID int64) ([]model.CheckAck, error)
	// CheckAuditRun returns the latest self-audit run.
	CheckAuditRun(ctx context.Context) (model.CheckAuditRun, error)
	// SaveCheckAuditRun stores a new run (ID 0, setting it) or its progress.
	SaveCheckAuditRun(ctx context.Context, r *model.CheckAuditRun) error
	// SetCheckAuditItems records what a scan found for one story (or, with
	// articleID 0, one column): new findings open, findings no longer
	// found open → fixed, accepted ones kept; open items of the rules in
	// keep (the scan did not look for them) stay as they are.
	SetCheckAuditItems(ctx context.Context, articleID, columnID int64, found []model.CheckAuditItem, at time.Time, keep ...string) error
	// CheckAuditItems returns a page of the rectification list, by unit,
	// column and story, and the number of matches.
	CheckAuditItems(ctx context.Context, q model.CheckAuditQuery) ([]model.CheckAuditItem, int, error)
	// SetCheckAuditStatus sets an item's state and reason.
	SetCheckAuditStatus(ctx context.Context, id int64, status, reason string, by int64, at time.Time) error

	Settings(ctx context.Context) (map[string]string, error)
	SetSetting(ctx context.Context, key, value string) error

	// SaveImportRecord stores what an imported item became, replacing the
	// record of the same source and original.
	SaveImportRecord(ctx context.Context, r model.ImportRecord) error
	// ImportRecord returns the record of an item of a source.
	ImportRecord(ctx context.Context, source, original string) (model.ImportRecord, error)
	// ImportRecordByDigest returns a record of this kind and digest, from
	// any source (the oldest): an image already brought in elsewhere.
	ImportRecordByDigest(ctx context.Context, kind, digest string) (model.ImportRecord, error)
	// ImportRecords lists the records of a source ("" for all), by source
	// and original.
	ImportRecords(ctx context.Context, source string) ([]model.ImportRecord, error)

	// SaveRedirect creates (ID 0) or updates a redirect; a path taken by
	// another redirect is ErrConflict.
	SaveRedirect(ctx context.Context, r *model.Redirect) error
	// RedirectByPath returns the redirect of an old path.
	RedirectByPath(ctx context.Context, path string) (model.Redirect, error)
	// RedirectByID returns a redirect.
	RedirectByID(ctx context.Context, id int64) (model.Redirect, error)
	// Redirects lists the redirects by path, after the path afterPath
	// (keyset pages), at most limit (0: all).
	Redirects(ctx context.Context, afterPath string, limit int) ([]model.Redirect, error)
	// DeleteRedirect removes a redirect.
	DeleteRedirect(ctx context.Context, id int64) error

	// RestoreHistory replaces the saved versions of an article with
	// versions, adds events to its history with their own times and sets
	// its version number: a story restored from a site archive keeps its
	// history.
	RestoreHistory(ctx context.Context, articleID int64, version int, versions []model.Version, events []model.Event) error
	// RestoreWorkingCopy adds a restored story's working copy as it was
	// (times, status, where it stands in its chain, the inboxes it waits
	// in), leaving the story's version as it is.
	RestoreWorkingCopy(ctx context.Context, wc model.WorkingCopy) error
}

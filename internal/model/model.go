// Package model defines Newsdesk's entities: articles and their states,
// columns, media, users and their roles, sessions, the audit entry, the
// actor every change is made by, and the errors callers act on. It has no
// behaviour beyond what each entity says of itself; the store persists
// them, the domain packages change them.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Errors callers act on. Backends wrap them with context.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict: the record was changed by someone else")
	ErrInvalid  = errors.New("invalid input")
	// ErrForbidden: the actor may not do what was asked.
	ErrForbidden = errors.New("forbidden")
	// ErrFull: the disk or database is full; nothing was saved.
	ErrFull = errors.New("storage full")
	// ErrPermanent: a background job failed in a way no retry mends (a
	// picture that does not decode); the job runner gives it up at once.
	ErrPermanent = errors.New("will not succeed on retry")
)

// InvalidError says what is wrong with some input, as a message key (the
// catalogue's "invalid.<Code>") and its arguments, so every interface can
// say it in the user's language. It matches ErrInvalid.
type InvalidError struct {
	Code string
	Args []any
}

// Invalid returns an InvalidError.
func Invalid(code string, args ...any) error { return &InvalidError{Code: code, Args: args} }

func (e *InvalidError) Error() string {
	if len(e.Args) == 0 {
		return "invalid input: " + e.Code
	}
	return fmt.Sprintf("invalid input: %s %v", e.Code, e.Args)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

// Article states. The desk adds the review states; the public site only ever
// shows StatusPublished articles whose PublishedAt is not in the future.
const (
	StatusDraft        = "draft"
	StatusSubmitted    = "submitted"     // waiting for the unit's review
	StatusUnitApproved = "unit_approved" // waiting for the news centre
	StatusReturned     = "returned"      // back with the contributor, with a comment
	StatusRejected     = "rejected"
	StatusScheduled    = "scheduled"
	StatusPublished    = "published"
	StatusWithdrawn    = "withdrawn"
)

// Roles; a user may hold several.
const (
	RoleContributor = "contributor" // 通讯员
	RoleReviewer    = "reviewer"    // 单位审核
	RoleEditor      = "editor"      // 编辑
	RoleChief       = "chief"       // 总编: news-centre staff who hold the final review
	RoleAdmin       = "admin"       // 管理员
)

// Unit is a department, school or office (单位).
type Unit struct {
	ID   int64
	Name string
}

// User is a desk account.
type User struct {
	ID           int64
	Username     string
	Name         string
	PasswordHash string // argon2id, encoded with its parameters
	Roles        []string
	UnitID       int64 // 0 = none (news-centre staff)
	CreatedAt    time.Time
	Disabled     bool // may not sign in
	// PasswordChangedAt is when the password was last set.
	PasswordChangedAt time.Time
}

// Has reports whether u holds role.
func (u User) Has(role string) bool { return slices.Contains(u.Roles, role) }

// CanWrite reports whether u may start stories: contributors and the news
// centre's staff.
func (u User) CanWrite() bool { return u.Has(RoleContributor) || u.CanPublish() }

// CanPublish reports whether u is news-centre staff (editor, chief
// editor or administrator): second review, editing any story, publishing, slots, the
// site's settings, pages and columns.
func (u User) CanPublish() bool { return u.Has(RoleEditor) || u.Has(RoleChief) || u.Has(RoleAdmin) }

// CanAdminister reports whether u manages users and units and reads the
// audit log.
func (u User) CanAdminister() bool { return u.Has(RoleAdmin) }

// Identity links a desk user to a person's identity at a campus sign-in
// provider (统一身份认证): one identity is one user, a user may have several.
type Identity struct {
	Provider  string // "cas" or "oidc"
	Subject   string // the provider's stable id of the person (CAS user, OIDC sub)
	UserID    int64
	Email     string // as the provider last said
	CreatedAt time.Time
	SeenAt    time.Time // last sign-in; zero: never
}

// DepartmentUnit says which unit people of a campus department belong to:
// the department code comes with each campus sign-in.
type DepartmentUnit struct {
	Code   string
	UnitID int64
}

// Session is a signed-in browser. Only a hash of its cookie is stored.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time // the absolute end, whatever the use
	IP        string
	LastSeen  time.Time // the last request, to the minute
	// MustChangePassword: the password had expired at sign-in; the
	// session may only change it (or sign out).
	MustChangePassword bool
	// MustEnrol2FA: the site requires two-factor sign-in of this user,
	// who has none yet; the session may only set it up (or sign out).
	MustEnrol2FA bool
}

// Token is a personal API token: it acts as its user, with exactly the
// user's rights. Only a hash of the secret is stored.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used
}

// Passkey is a WebAuthn credential a user signs in with as a second
// factor. CredentialID and PublicKey are as the authenticator made them.
type Passkey struct {
	ID           int64
	UserID       int64
	CredentialID []byte
	PublicKey    []byte // COSE_Key
	SignCount    uint32 // the authenticator's counter at the last use
	Transports   []string
	Flags        uint8 // the WebAuthn flags at registration (backup bits)
	Name         string
	CreatedAt    time.Time
	LastUsedAt   time.Time // zero: never used
}

// PasskeyChallenge is a WebAuthn ceremony under way: the library's session
// data for a user, kept under the hash of a token until it expires.
type PasskeyChallenge struct {
	TokenHash string
	UserID    int64
	Kind      string // "register" or "login"
	Data      []byte
	ExpiresAt time.Time
}

// SignInCounts are the failed sign-ins counted for one attempt, since the
// start of the counting window.
type SignInCounts struct {
	Pair     int       // of this account from this address
	PairLast time.Time // the newest of those
	Account  int       // of this account, from any address
	Address  int       // from this address, for any account
	// AddressFirst is the oldest failure from this address.
	AddressFirst time.Time
}

// SignInFailures are the failed sign-ins of one account from one address.
type SignInFailures struct {
	Username, IP string
	Count        int
	First, Last  time.Time
}

// Event is one step in an article's history: who did what, from where,
// and the comment they left. A decision on a review step also says which
// step, where the story went, the version decided on and the front door.
type Event struct {
	ID        int64
	ArticleID int64
	UserID    int64
	Action    string
	From, To  string
	Comment   string
	IP        string
	At        time.Time
	// Step is the number (from 1) of the review step decided on (0: none);
	// StepName its name as it was then ("" for the default chain's steps,
	// which the catalogue names by StepKey).
	Step     int
	StepName string
	StepKey  string
	// ToStep is the number of the step the story waits at afterwards
	// (0: none).
	ToStep int
	// Version is the version of the story the decision was made on.
	Version int
	Via     string
	// Reason is the preset return reason chosen, if any.
	Reason string
	// ActorName is the name of who decided, as it was then.
	ActorName string
	// Correction: the decision was on the story's working copy (a
	// correction of the published story), not on the story.
	Correction bool
}

// Review step kinds.
const (
	StepReview    = "review"    // 审: read and decide
	StepProofread = "proofread" // 校: the proofreader corrects the text, the diff shows it
)

// Who may take a review step, besides the users it names.
const (
	HoldUnit   = "unit"   // the reviewers of the story's unit (editors may stand in)
	HoldEditor = "editor" // any news-centre editor
	HoldChief  = "chief"  // the chief editors (总编)
)

// ReviewStep is one step of a review chain (三审三校).
type ReviewStep struct {
	// Name is what editors called the step (单位初审, 校对 …); the
	// default chain's steps have none and a Key the catalogue names.
	Name    string   `json:"name,omitempty"`
	Key     string   `json:"key,omitempty"`
	Kind    string   `json:"kind"`
	Holders []string `json:"holders,omitempty"` // HoldUnit, HoldEditor, HoldChief
	UserIDs []int64  `json:"users,omitempty"`   // named users who may take it
	// DueHours is how long after it arrives the step should be taken
	// (0: no due time).
	DueHours int `json:"due_hours,omitempty"`
}

// ReviewChain is the review chain a column's stories go through; a
// column without one takes its parent's, and the top takes the default.
type ReviewChain struct {
	ColumnID int64
	Steps    []ReviewStep
	// Correction is the chain a correction of a published story (its
	// working copy) goes through, when shorter than Steps; empty: the
	// main chain.
	Correction []ReviewStep
	UpdatedAt  time.Time
	UpdatedBy  int64
}

// Review is where a story stands in its review chain.
type Review struct {
	// Chain is the chain the story was submitted on, kept with it so a
	// change to the column's chain never strands it; nil: the default
	// chain (stories from before chains existed).
	Chain []ReviewStep
	// Step is the index of the step the story waits at (while submitted
	// or unit_approved).
	Step int
	// Since is when the story arrived at that step.
	Since time.Time
	// Waiting are the holder keys of the step it waits at ("unit:3",
	// "editor", "chief", "user:7"), for the inbox; written, not read back.
	Waiting []string
	// Correction: this is the review of a published story's working copy
	// (a correction), not of the story itself.
	Correction bool
}

// ReviewEventQuery selects review decisions for the ledger: those made in
// [From, To) on stories of the columns (all when empty), oldest first,
// after AfterID.
type ReviewEventQuery struct {
	From, To  time.Time
	ColumnIDs []int64
	AfterID   int64
	Limit     int
}

// Actor is who makes a change, and from where: a desk user, or the system
// itself (scheduled publishing, jobs, the command line's maintenance).
type Actor struct {
	User User
	IP   string
	// Via names the front door for the audit log: "desk", "api", "cli", "job".
	Via string
}

// SystemActor is the actor of changes nobody asked for at that moment.
func SystemActor(via string) Actor { return Actor{Via: via} }

// IsSystem reports whether the actor is Newsdesk itself.
func (a Actor) IsSystem() bool { return a.User.ID == 0 }

// Audit is the audit entry for a change a made.
func (a Actor) Audit(action, target, detail string) AuditEntry {
	return AuditEntry{UserID: a.User.ID, Action: action, Target: target, Detail: detail, IP: a.IP, Via: a.Via}
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     int64
	At     time.Time
	UserID int64 // 0: nobody signed in (a failed sign-in)
	Action string
	Target string // e.g. "article 12", "user editor"
	Detail string
	IP     string
	Via    string // the front door: desk, api, cli, job ("" before it was recorded)
	// PrevHash is the Hash of the entry before (or, for the first one
	// left after a purge, of the last one purged); Hash is AuditHash of
	// this entry. The store sets both.
	PrevHash, Hash string
}

// AuditHash is the hash that chains e to the entry before it: sha256 over
// a JSON array of its stored fields in a fixed order and PrevHash. Via is
// appended only when set, so entries chained before it was recorded keep
// their hashes.
func AuditHash(e AuditEntry) string {
	fields := []any{e.ID, e.At.Unix(), e.UserID, e.Action, e.Target, e.Detail, e.IP, e.PrevHash}
	if e.Via != "" {
		fields = append(fields, e.Via)
	}
	b, err := json.Marshal(fields)
	if err != nil {
		panic(err) // strings and numbers always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AuditChain is the head of the audit log's hash chain.
type AuditChain struct {
	LastID   int64
	LastHash string
	// PurgedID and PurgedHash are the last entry purged (0, "": none).
	PurgedID   int64
	PurgedHash string
}

// Version is an article's text as one save left it.
type Version struct {
	ArticleID int64
	Version   int
	Title     string
	Summary   string
	Body      string
	SavedBy   int64
	SavedAt   time.Time
}

// Slot names.
const (
	SlotFocus       = "focus"
	SlotRecommended = "recommended"
)

// Column is a section of the site (栏目). Columns nest through ParentID (0 = top level).
type Column struct {
	ID          int64
	ParentID    int64
	Slug        string
	Name        string
	Description string
	Position    int
	// UpdateDays is the column's update period (更新周期): the self-audit
	// flags it when nothing was published in it for this many days; 0 is
	// not checked.
	UpdateDays int
}

// Credits are the people and units named at the end of an article.
type Credits struct {
	Writers       []string `json:"writers,omitempty"`       // 文字
	Photographers []string `json:"photographers,omitempty"` // 图片/摄影
	Editor        string   `json:"editor,omitempty"`        // 责任编辑
	Unit          string   `json:"unit,omitempty"`          // 供稿单位
	Source        string   `json:"source,omitempty"`        // 来源
}

// Article is a news story. Body is sanitised HTML; figures are <figure> elements
// that reference media by URL.
type Article struct {
	ID          int64
	ColumnID    int64
	Kicker      string // 引题
	Title       string
	Subtitle    string // 副题
	Summary     string // 摘要
	Body        string
	LeadMediaID int64 // 0 = none
	Credits     Credits
	Status      string
	PublishedAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int // incremented by every update; updates name the version they started from
	Views       int64
	AuthorID    int64 // the desk user who wrote it; 0 for imported or demo content
	UnitID      int64 // the unit whose review it goes through; 0 = none
	// Review is where the story stands in its review chain; saved by
	// TransitionArticle and CreateArticle only.
	Review Review
	// SavedBy is who makes this save, kept with the saved version; it is
	// not read back.
	SavedBy int64
	// RevisedAt is when a reviewed correction last replaced the published
	// text (更新于); zero: never.
	RevisedAt time.Time
	// Correction is the public correction note (更正说明) shown under the
	// story; empty: none.
	Correction string
}

// WorkingCopy is the text of a published story being corrected: saves of
// a published story go here, under review, while the published text stays
// on the site until the copy is approved. Its Article holds the story's
// id and the copy's text fields (column, kicker, title, subtitle, summary,
// body, lead image, credits) and correction note.
//
// The copy goes through its column's correction chain (review.Correction)
// on its own: its Article's Status is the copy's (submitted or
// unit_approved while it waits at a step, returned when it is back with
// its maker), Review where it stands (Review.Correction set), UnitID and
// AuthorID the story's.
type WorkingCopy struct {
	Article
	CreatedBy int64     // who made the copy (its first save)
	CopiedAt  time.Time // when
}

// EditLock says who has a story open for editing in the desk, since when,
// and when their page last said it still has (its heartbeat).
type EditLock struct {
	ArticleID int64
	UserID    int64
	// Token names the page holding the lock, so that a page closing
	// releases only its own lock, never the one its successor took.
	Token  string
	Since  time.Time
	SeenAt time.Time
}

// Annotation is a reviewer's comment on a passage of a story (批注), or,
// with a ParentID, a reply to one. The passage is anchored in the story's
// plain text by its quote and the text around it, Position (in
// characters) being only a hint, so it is found again after edits
// elsewhere.
type Annotation struct {
	ID        int64
	ArticleID int64
	ParentID  int64 // 0: an annotation; else the annotation this answers
	UserID    int64
	Quote     string
	Prefix    string // the text just before the quote
	Suffix    string // the text just after it
	Position  int
	Version   int // the story's version it was made on
	Body      string
	CreatedAt time.Time
	// ResolvedBy and ResolvedAt say who settled it, and when (0, zero:
	// open).
	ResolvedBy int64
	ResolvedAt time.Time
}

// ArticleStub is what a sitemap or the static export needs of a published
// article: its address and dates, never its body, so paging through a
// million of them costs a few megabytes.
type ArticleStub struct {
	ID          int64
	ColumnID    int64
	Status      string // StatusPublished from PublishedStubs; any from UpdatedStubs
	PublishedAt time.Time
	UpdatedAt   time.Time
	Title       string // with StubQuery.Titles only
	// Version counts the article's saves (from UpdatedStubs only; 0
	// elsewhere): two stubs of one version show the same story, even
	// when saved within one second of UpdatedAt.
	Version int
}

// StubQuery pages through published articles newest first (publish time,
// then id), by keyset rather than OFFSET.
type StubQuery struct {
	ColumnIDs   []int64
	PublishedBy time.Time
	// After is the last stub of the previous page; zero starts at the newest
	// (OldestFirst: the oldest).
	After ArticleStub
	// Skip leaves out that many first: where a sitemap part starts, found
	// in the index without reading the rows before it.
	Skip  int
	Limit int
	// Titles reads the titles too (the static export's index of links);
	// without, the query reads only an index covering it (migration 0019).
	Titles bool
	// OldestFirst reads the oldest first (the sitemap's order, in which a
	// new story changes only its last part): After is then the last stub
	// of the previous page, and From, when set, the earliest publish time.
	OldestFirst bool
	From        time.Time
}

// DayCount is how many articles were published on one day; Day counts the
// days since 1970-01-01 in the time zone asked for.
type DayCount struct {
	Day   int64
	Count int
	// Changed is the newest publish or update time among the day's
	// stories, or of a story since withdrawn from or moved off the day.
	Changed time.Time
}

// Media is an uploaded file. The bytes live in the media storage under Key.
type Media struct {
	ID          int64
	Key         string // storage key, derived from the checksum
	Name        string // original file name
	ContentType string
	Width       int
	Height      int
	Size        int64
	Checksum    string // hex sha256
	Caption     string
	Alt         string
	Credit      string
	CreatedAt   time.Time
	// OriginalKey holds the upload as it came, never served; it equals Key
	// when the served copy needed no change.
	OriginalKey string
	UploadedBy  int64  // the desk user; 0 for demo or imported files
	Uploader    string // the uploader's name, read back only
	// Public: an editor marked it public, so anyone may fetch it whether or
	// not a published story uses it.
	Public bool
	// InPublished: a published story uses it (read back only).
	InPublished bool
	// Unreadable is why the variants job could not decode the picture
	// (an import checks a photo's structure only, not its pixels); empty
	// for a picture that decoded or was not tried yet. Such a photo has no
	// variants, and the desk's library shows it marked.
	Unreadable string
}

// Variant is a resized copy of an image, for responsive pages. Its key is
// derived from the original's checksum, so its bytes never change.
type Variant struct {
	MediaID     int64
	Width       int
	Height      int
	ContentType string
	Key         string
	Size        int64
}

// Job is a unit of background work kept in the store, so it survives
// restarts; it is claimed for a lease by one worker among all processes.
type Job struct {
	ID        int64
	Kind      string
	Ref       int64 // what it works on, e.g. a media id
	Attempts  int   // including the current one
	LastError string
}

// Job kinds.
const (
	JobVariants = "variants" // make the responsive variants of media Ref
	JobMail     = "mail"     // send outbox message Ref
)

// Outbox states of a Mail.
const (
	MailQueued = "queued" // waiting to be sent, or to be tried again
	MailSent   = "sent"
	MailFailed = "failed" // given up after the last attempt
)

// Mail is one message in the outbox: queued with the change that caused
// it, sent by a job, kept with its outcome for administrators to see.
type Mail struct {
	ID        int64
	To        string // the address
	ToName    string
	Subject   string
	Text      string // the plain-text part
	HTML      string // the HTML part
	Status    string // MailQueued, MailSent or MailFailed
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    time.Time // zero: not sent
}

// MailAddress is where, and in which language, a desk user gets mail.
type MailAddress struct {
	UserID int64
	Email  string
	Lang   string // "" = the site's language
}

// Notification tells a desk user of something that needs them: a step
// arrived, a story came back, a due time passed.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string
	ArticleID int64
	Title     string // the story's title when it was made
	Detail    string // e.g. the step's name or the return's comment
	// OnceKey, when set, makes the notification happen once: a second one
	// with the same key is not added.
	OnceKey   string
	CreatedAt time.Time
	ReadAt    time.Time // zero: unread
}

// ApproverLink lets a person without a desk account decide on a story's
// step through a signed link: single-use and revocable through this row,
// which also keeps the decision with the person's name and address.
type ApproverLink struct {
	ID        int64
	ArticleID int64
	StepID    int64 // the review step it decides (0: the story's current one)
	Version   int   // the version the approver is shown
	Name      string
	Email     string
	Nonce     string // random, signed into the link
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero: not used
	RevokedAt time.Time // zero: not revoked
	Decision  string    // "approve" or "return" once used
	Comment   string
	IP        string
}

// mediaRef finds media URLs (/media/{id}/…) in an article body.
var mediaRef = regexp.MustCompile(`/media/([0-9]+)/`)

// MediaRefs lists the media an article uses: its lead image and every file
// its body links to, each once.
func MediaRefs(a Article) []int64 {
	var ids []int64
	if a.LeadMediaID != 0 {
		ids = append(ids, a.LeadMediaID)
	}
	for _, m := range mediaRef.FindAllStringSubmatch(a.Body, -1) {
		if id, err := strconv.ParseInt(m[1], 10, 64); err == nil && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Placement puts an article into a curated slot at a position.
type Placement struct {
	Slot      string
	ArticleID int64
	Position  int
	ExpiresAt time.Time // zero = never
}

// Page is an editor-maintained page such as the help page (使用帮助).
type Page struct {
	Slug      string
	Title     string
	Body      string
	UpdatedAt time.Time
}

// Import kinds: what an imported item became.
const (
	ImportArticle = "article"
	ImportMedia   = "media"
)

// ImportRecord says what an imported item became: the story or library
// file (Kind, RefID) that the item at Original of Source was made into,
// and the Digest of what was read then, so a new run updates only what
// changed and creates nothing twice.
type ImportRecord struct {
	Source     string // e.g. "wxr:http://news.example.edu.cn"
	Original   string // the item's address (or id) in the source
	Kind       string // ImportArticle or ImportMedia
	RefID      int64
	Digest     string // hex sha256
	ImportedAt time.Time
}

// Redirect sends an old address to a story or to another address with a
// 301. Path is as the old site had it (query included, if any).
type Redirect struct {
	ID        int64
	Path      string
	ArticleID int64  // the story it goes to; 0 when Target is set
	Target    string // an address (absolute or a path of this site)
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CheckRuleList is one version of a content-check rule list (错敏检查),
// kept as the plain text editors import and export.
type CheckRuleList struct {
	Kind    string
	Version int
	Body    string
	SavedBy int64
	SavedAt time.Time
}

// CheckAck is an acknowledgement of warn-level findings of a story: who
// let them through, when, from where and why. Keys name the findings
// (rule and text); Findings says them for people.
type CheckAck struct {
	ID        int64
	ArticleID int64
	Version   int
	Keys      []string
	Findings  string
	Reason    string
	UserID    int64
	IP        string
	At        time.Time
}

// CheckAuditRun is one self-audit (网站自查) re-scan, resumable: AfterID is
// the last story scanned.
type CheckAuditRun struct {
	ID         int64
	StartedAt  time.Time
	FinishedAt time.Time // zero while under way
	AfterID    int64
	Scanned    int
	Total      int
}

// Rectification (整改) states of a self-audit finding.
const (
	AuditOpen     = "open"
	AuditFixed    = "fixed"
	AuditAccepted = "accepted"
)

// CheckAuditItem is a line of the rectification list (整改清单): a finding
// of a story (ArticleID) or of a column (ArticleID 0).
type CheckAuditItem struct {
	ID         int64
	ArticleID  int64
	ColumnID   int64
	UnitID     int64
	Rule       string
	Category   string
	Level      string
	Text       string
	Suggestion string
	Status     string
	Reason     string
	FoundAt    time.Time
	UpdatedAt  time.Time
	UpdatedBy  int64
}

// CheckAuditQuery selects rectification items; zero fields do not filter.
type CheckAuditQuery struct {
	UnitID int64
	Status string
	Limit  int
	Offset int
}

// Month counts published articles in one calendar month (site time zone
// applied by the caller).
type Month struct {
	Year, Month, Count int
}

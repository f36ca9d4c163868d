package check

import (
	"context"
	"time"

	"newsdesk/internal/store"
)

// Store is what the content checks and the self-audit read and write.
type Store interface {
	Tx(ctx context.Context, fn func(store.Store) error) error
	AddAudit(ctx context.Context, e store.AuditEntry) error
	Article(ctx context.Context, id int64) (store.Article, error)
	Articles(ctx context.Context, q store.ArticleQuery) ([]store.Article, int, error)
	MediaByIDs(ctx context.Context, ids []int64) (map[int64]store.Media, error)
	Columns(ctx context.Context) ([]store.Column, error)
	Units(ctx context.Context) ([]store.Unit, error)
	Settings(ctx context.Context) (map[string]string, error)
	Placements(ctx context.Context, slot string) ([]store.Placement, error)
	EnqueueJob(ctx context.Context, kind string, ref int64, runAt time.Time) error

	CheckRules(ctx context.Context) ([]store.CheckRuleList, error)
	CheckRuleVersions(ctx context.Context, kind string) ([]store.CheckRuleList, error)
	SaveCheckRules(ctx context.Context, l *store.CheckRuleList) error
	AddCheckAck(ctx context.Context, a *store.CheckAck) error
	CheckAcks(ctx context.Context, articleID int64) ([]store.CheckAck, error)
	CheckAuditRun(ctx context.Context) (store.CheckAuditRun, error)
	SaveCheckAuditRun(ctx context.Context, r *store.CheckAuditRun) error
	SetCheckAuditItems(ctx context.Context, articleID, columnID int64, found []store.CheckAuditItem, at time.Time) error
	CheckAuditItems(ctx context.Context, q store.CheckAuditQuery) ([]store.CheckAuditItem, int, error)
	SetCheckAuditStatus(ctx context.Context, id int64, status, reason string, by int64, at time.Time) error
}

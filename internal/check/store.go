package check

import (
	"context"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the content checks and the self-audit read and write.
type Store interface {
	Tx(ctx context.Context, fn func(store.Store) error) error
	AddAudit(ctx context.Context, e model.AuditEntry) error
	Article(ctx context.Context, id int64) (model.Article, error)
	Articles(ctx context.Context, q store.ArticleQuery) ([]model.Article, int, error)
	MediaByIDs(ctx context.Context, ids []int64) (map[int64]model.Media, error)
	Columns(ctx context.Context) ([]model.Column, error)
	Units(ctx context.Context) ([]model.Unit, error)
	Settings(ctx context.Context) (map[string]string, error)
	Placements(ctx context.Context, slot string) ([]model.Placement, error)
	EnqueueJob(ctx context.Context, kind string, ref int64, runAt time.Time) error

	CheckRules(ctx context.Context) ([]model.CheckRuleList, error)
	CheckRuleVersions(ctx context.Context, kind string) ([]model.CheckRuleList, error)
	SaveCheckRules(ctx context.Context, l *model.CheckRuleList) error
	AddCheckAck(ctx context.Context, a *model.CheckAck) error
	CheckAcks(ctx context.Context, articleID int64) ([]model.CheckAck, error)
	CheckAuditRun(ctx context.Context) (model.CheckAuditRun, error)
	SaveCheckAuditRun(ctx context.Context, r *model.CheckAuditRun) error
	SetCheckAuditItems(ctx context.Context, articleID, columnID int64, found []model.CheckAuditItem, at time.Time, keep ...string) error
	CheckAuditItems(ctx context.Context, q model.CheckAuditQuery) ([]model.CheckAuditItem, int, error)
	SetCheckAuditStatus(ctx context.Context, id int64, status, reason string, by int64, at time.Time) error
}

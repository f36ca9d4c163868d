package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

const mediaColumns = `m.id, m.key, m.name, m.content_type, m.width, m.height, m.size, m.checksum, m.caption, m.alt, m.credit, m.created_at,
	m.original_key, COALESCE(m.uploaded_by, 0), COALESCE(u.name, ''), m.public, m.unreadable,
	CASE WHEN EXISTS (SELECT 1 FROM media_uses mu JOIN articles pa ON pa.id = mu.article_id
		WHERE mu.media_id = m.id AND pa.status = '` + model.StatusPublished + `') THEN 1 ELSE 0 END`

const mediaFrom = ` FROM media m LEFT JOIN users u ON u.id = m.uploaded_by`

func scanMedia(r scanner) (model.Media, error) {
	var m model.Media
	var created, public, inPublished int64
	err := r.Scan(&m.ID, &m.Key, &m.Name, &m.ContentType, &m.Width, &m.Height, &m.Size, &m.Checksum, &m.Caption, &m.Alt, &m.Credit, &created,
		&m.OriginalKey, &m.UploadedBy, &m.Uploader, &public, &m.Unreadable, &inPublished)
	m.CreatedAt = fromUnix(created)
	m.Public, m.InPublished = public != 0, inPublished != 0
	return m, err
}

// CreateMedia inserts m and sets its ID.
func (s *DB) CreateMedia(ctx context.Context, m *model.Media) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	if m.OriginalKey == "" {
		m.OriginalKey = m.Key
	}
	public := 0
	if m.Public {
		public = 1
	}
	var err error
	m.ID, err = s.insert(ctx, `INSERT INTO media (key, name, content_type, width, height, size, checksum, caption, alt, credit, created_at, original_key, uploaded_by, public, unreadable)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Key, m.Name, m.ContentType, m.Width, m.Height, m.Size, m.Checksum, m.Caption, m.Alt, m.Credit, unix(m.CreatedAt), m.OriginalKey, nullID(m.UploadedBy), public, m.Unreadable)
	if err != nil {
		return fmt.Errorf("create media %q: %w", m.Name, err)
	}
	return nil
}

// Media returns the media record with the given id.
func (s *DB) Media(ctx context.Context, id int64) (model.Media, error) {
	m, err := scanMedia(s.conn.QueryRowContext(ctx, s.q(`SELECT `+mediaColumns+mediaFrom+` WHERE m.id = ?`), id))
	if err != nil {
		return m, notFound("media", id, err)
	}
	return m, nil
}

// MediaByIDs returns the existing media among ids.
func (s *DB) MediaByIDs(ctx context.Context, ids []int64) (map[int64]model.Media, error) {
	out := map[int64]model.Media{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+mediaColumns+mediaFrom+` WHERE m.id IN (`+placeholders(len(ids))+`)`), int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("media by ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, err
		}
		out[m.ID] = m
	}
	return out, rows.Err()
}

// UpdateMedia saves the descriptive fields of m (caption, alt, credit, name).
func (s *DB) UpdateMedia(ctx context.Context, m *model.Media) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE media SET name = ?, caption = ?, alt = ?, credit = ? WHERE id = ?`), m.Name, m.Caption, m.Alt, m.Credit, m.ID)
	if err != nil {
		return fmt.Errorf("update media %d: %w", m.ID, err)
	}
	return mustAffect(res, "media", m.ID)
}

// SetMediaPublic marks a file public or takes the mark back.
func (s *DB) SetMediaPublic(ctx context.Context, id int64, public bool) error {
	v := 0
	if public {
		v = 1
	}
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE media SET public = ? WHERE id = ?`), v, id)
	if err != nil {
		return fmt.Errorf("mark media %d public: %w", id, err)
	}
	return mustAffect(res, "media", id)
}

// SetMediaUnreadable records why a picture could not be decoded ("" when
// it decoded after all).
func (s *DB) SetMediaUnreadable(ctx context.Context, id int64, why string) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE media SET unreadable = ? WHERE id = ?`), why, id)
	if err != nil {
		return fmt.Errorf("mark media %d unreadable: %w", id, err)
	}
	return mustAffect(res, "media", id)
}

// MediaList returns the library's files newest first.
func (s *DB) MediaList(ctx context.Context, q store.MediaQuery) ([]model.Media, int, error) {
	where := ` WHERE 1 = 1`
	var args []any
	if q.Images {
		where += ` AND m.content_type LIKE 'image/%'`
	}
	if q.Checksum != "" {
		where += ` AND m.checksum = ?`
		args = append(args, q.Checksum)
	}
	for _, word := range strings.Fields(q.Text) {
		// LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
		like := "%" + escapeLike(strings.ToLower(word)) + "%"
		var ors []string
		for _, col := range []string{"m.caption", "m.alt", "m.credit", "m.name", "COALESCE(u.name, '')", "COALESCE(u.username, '')"} {
			ors = append(ors, `LOWER(`+col+`) LIKE ? ESCAPE '\'`)
		}
		where += ` AND (` + strings.Join(ors, " OR ") + `)`
		args = append(args, like, like, like, like, like, like)
	}
	total := -1
	order := ` ORDER BY m.created_at DESC, m.id DESC`
	if q.ByID {
		where += ` AND m.id > ?`
		args = append(args, q.AfterID)
		order = ` ORDER BY m.id`
	} else if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*)`+mediaFrom+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count media: %w", err)
	}
	if q.Limit <= 0 {
		q.Limit = 24
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+mediaColumns+mediaFrom+where+order+` LIMIT ? OFFSET ?`), append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list media: %w", err)
	}
	defer rows.Close()
	var out []model.Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// escapeLike makes a user's word match itself in LIKE, % and _ included.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// MediaUses lists the articles using a file, newest first.
func (s *DB) MediaUses(ctx context.Context, id int64) ([]model.Article, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+articleCols("a.")+` FROM media_uses mu JOIN articles a ON a.id = mu.article_id WHERE mu.media_id = ? ORDER BY a.id DESC`), id)
	if err != nil {
		return nil, fmt.Errorf("uses of media %d: %w", id, err)
	}
	return collectArticles(rows)
}

// saveUses records which media an article uses, in the article's save.
func (s *DB) saveUses(ctx context.Context, tx *txConn, a *model.Article) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM media_uses WHERE article_id = ?`), a.ID); err != nil {
		return err
	}
	ids := model.MediaRefs(*a)
	if len(ids) > 0 {
		// Only files that exist: a body may link to a number that is no file.
		args := append([]any{a.ID}, int64Args(ids)...)
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO media_uses (media_id, article_id) SELECT id, ? FROM media WHERE id IN (`+placeholders(len(ids))+`)`), args...); err != nil {
			return err
		}
	}
	// The story list's "has photos" filter reads this flag and its index
	// (migration 0021), not media_uses row by row.
	_, err := tx.ExecContext(ctx, s.q(`UPDATE articles SET has_photos = `+hasPhotos+` WHERE id = ?`), a.ID)
	return err
}

// hasPhotos is 1 when the story of the row uses a picture, 0 otherwise.
const hasPhotos = `CASE WHEN EXISTS (SELECT 1 FROM media_uses mu JOIN media m ON m.id = mu.media_id WHERE mu.article_id = articles.id AND m.content_type LIKE 'image/%') THEN 1 ELSE 0 END`

// DeleteMedia removes an unused file's record and its variants' records.
func (s *DB) DeleteMedia(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *txConn) error {
		var uses int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM media_uses WHERE media_id = ?`), id).Scan(&uses); err != nil {
			return fmt.Errorf("delete media %d: %w", id, err)
		}
		if uses > 0 {
			return model.Invalid("media_in_use", uses)
		}
		for _, q := range []string{`DELETE FROM media_variants WHERE media_id = ?`, `DELETE FROM jobs WHERE kind = 'variants' AND ref = ?`} {
			if _, err := tx.ExecContext(ctx, s.q(q), id); err != nil {
				return fmt.Errorf("delete media %d: %w", id, err)
			}
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM media WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("delete media %d: %w", id, err)
		}
		return mustAffect(res, "media", id)
	})
}

// SetVariants replaces the variants of a file.
func (s *DB) SetVariants(ctx context.Context, mediaID int64, vs []model.Variant) error {
	err := s.tx(ctx, func(tx *txConn) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM media_variants WHERE media_id = ?`), mediaID); err != nil {
			return err
		}
		for _, v := range vs {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO media_variants (media_id, width, height, content_type, key, size) VALUES (?, ?, ?, ?, ?, ?)`),
				mediaID, v.Width, v.Height, v.ContentType, v.Key, v.Size); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set variants of media %d: %w", mediaID, err)
	}
	return nil
}

const variantColumns = `media_id, width, height, content_type, key, size`

func scanVariant(r scanner) (model.Variant, error) {
	var v model.Variant
	err := r.Scan(&v.MediaID, &v.Width, &v.Height, &v.ContentType, &v.Key, &v.Size)
	return v, err
}

// Variants returns the variants of files, narrowest first.
func (s *DB) Variants(ctx context.Context, mediaIDs []int64) (map[int64][]model.Variant, error) {
	out := map[int64][]model.Variant{}
	if len(mediaIDs) == 0 {
		return out, nil
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+variantColumns+` FROM media_variants WHERE media_id IN (`+placeholders(len(mediaIDs))+`) ORDER BY media_id, width, content_type`), int64Args(mediaIDs)...)
	if err != nil {
		return nil, fmt.Errorf("variants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVariant(rows)
		if err != nil {
			return nil, err
		}
		out[v.MediaID] = append(out[v.MediaID], v)
	}
	return out, rows.Err()
}

// VariantByKey returns the variant stored under key.
func (s *DB) VariantByKey(ctx context.Context, key string) (model.Variant, error) {
	v, err := scanVariant(s.conn.QueryRowContext(ctx, s.q(`SELECT `+variantColumns+` FROM media_variants WHERE key = ?`), key))
	if err != nil {
		return v, notFound("variant", key, err)
	}
	return v, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

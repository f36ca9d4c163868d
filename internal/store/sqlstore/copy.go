package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Copying a whole site between databases ("newsdesk copy"): every table but
// the search index (rebuilt from the articles afterwards) and the migration
// record, in foreign-key order, each row in primary-key order, with its ids.
// The column lists are read from the databases themselves, so a new
// migration needs no change here.

// skipTables are never copied: the search index is made again from the
// articles on the destination, the per-day and per-month counts by its
// triggers as the articles go in (migrations 0024 and 0026), and each
// database keeps its own record of the migrations it ran.
var skipTables = []string{"search_index", "schema_migrations", "published_days", "published_days_zone", "published_months"}

// copyBatch is how many rows go into one destination transaction, and
// copyRowsPerInsert how many into one INSERT (a round trip to PostgreSQL
// each; 50 rows of 17 columns stay far below either database's limit of
// placeholders). copyBatch is a multiple of copyRowsPerInsert.
const (
	copyBatch         = 500
	copyRowsPerInsert = 50
)

// ErrNotEmpty is returned when the destination of a copy already holds rows.
var ErrNotEmpty = errors.New("destination is not empty")

// ErrMismatch is returned when a copied table's rows differ from the source's.
var ErrMismatch = errors.New("copy does not match its source")

// TableSum is what one table holds: its rows and a sha256 over them in
// primary-key order (see rowHash), comparable between SQLite and PostgreSQL.
type TableSum struct {
	Table string
	Rows  int64
	Sum   string
}

// TableCopy reports one copied table: its sum on each side.
type TableCopy struct {
	Table   string
	Columns []string
	From    TableSum
	To      TableSum
	Took    time.Duration
}

// CopyOptions adjusts CopyTables.
type CopyOptions struct {
	// SkipSessions leaves the sessions table out: everyone signs in again.
	SkipSessions bool
	// Progress, when set, is called after each table.
	Progress func(TableCopy)
}

// copyDialect is what differs between the databases when reading their
// schema and writing rows with given ids; the rest of the copy is portable.
type copyDialect struct {
	// tables lists the base tables, without the database's own.
	tables string
	// columns selects name, type and position in the primary key (0 when
	// not in it) of each column of the table given as the argument.
	columns string
	// foreignKeys selects the referenced table and the referencing column
	// of each foreign key of the table given as the argument.
	foreignKeys string
	// readTx begins the transaction the source is read in: one snapshot,
	// so the copy is of a single moment even if the site is in use.
	readTx sql.TxOptions
	// orderBy is the ORDER BY term for a primary-key column of type typ,
	// in code-point order for text on both databases.
	orderBy func(col, typ string) string
	// resetIDs makes the table's generated ids continue after its largest
	// (nil when inserting an id already does that).
	resetIDs func(ctx context.Context, tx *sql.Tx, table string) error
}

var copyDialects = map[string]copyDialect{
	"sqlite": {
		tables:      `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`,
		columns:     `SELECT name, UPPER(type), pk FROM pragma_table_info(?) ORDER BY cid`,
		foreignKeys: `SELECT "table", "from" FROM pragma_foreign_key_list(?)`,
		readTx:      sql.TxOptions{ReadOnly: true},                           // a deferred BEGIN: WAL gives the snapshot
		orderBy:     func(col, typ string) string { return quoteIdent(col) }, // BINARY: bytes, which is code points in UTF-8
		// An AUTOINCREMENT table's sqlite_sequence follows the largest id inserted.
	},
	"postgres": {
		tables: `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
		columns: `SELECT c.column_name, UPPER(c.data_type), COALESCE(k.ordinal_position, 0)
			FROM information_schema.columns c
			LEFT JOIN information_schema.table_constraints t ON t.table_schema = c.table_schema
				AND t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY'
			LEFT JOIN information_schema.key_column_usage k ON k.constraint_schema = t.constraint_schema
				AND k.constraint_name = t.constraint_name AND k.column_name = c.column_name
			WHERE c.table_schema = current_schema() AND c.table_name = $1 ORDER BY c.ordinal_position`,
		foreignKeys: `SELECT f.relname, a.attname FROM pg_constraint c
			JOIN pg_class f ON f.oid = c.confrelid
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			WHERE c.contype = 'f' AND c.conrelid = $1::regclass`,
		readTx: sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
		orderBy: func(col, typ string) string {
			if strings.Contains(typ, "CHAR") || typ == "TEXT" {
				return quoteIdent(col) + ` COLLATE "C"` // as SQLite orders, whatever the server's locale
			}
			return quoteIdent(col)
		},
		resetIDs: postgresResetIDs,
	},
}

// postgresResetIDs sets the sequence behind each identity or serial column
// of table past its largest value, so the next insert gets a fresh id.
func postgresResetIDs(ctx context.Context, tx *sql.Tx, table string) error {
	rows, err := tx.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1
		AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`, table)
	if err != nil {
		return err
	}
	cols, err := scanStrings(rows)
	if err != nil {
		return err
	}
	for _, col := range cols {
		// is_called false: the next value is exactly MAX + 1 (1 when empty).
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(%s), 0) + 1, false) FROM %s`,
			quoteIdent(col), quoteIdent(table))
		if _, err := tx.ExecContext(ctx, q, table, col); err != nil {
			return fmt.Errorf("reset ids of %s.%s: %w", table, col, err)
		}
	}
	return nil
}

func (s *DB) copyDialect() copyDialect { return copyDialects[s.d.name] }

// Dialect names the database: "sqlite" or "postgres".
func (s *DB) Dialect() string { return s.d.name }

// SchemaVersion is the newest migration applied.
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// column is a column as the database describes it.
type column struct {
	name, typ string
	pk        int // position in the primary key, from 1; 0 when not in it
}

// table is what the copy needs to know of one table.
type table struct {
	name    string
	columns []column // those both sides have, in the source's order
	order   []column // the primary key in order (every column when there is none)
	selfRef []string // nullable columns referring to the table itself
	refs    []string // other tables it refers to
}

func (t table) names() []string {
	out := make([]string, len(t.columns))
	for i, c := range t.columns {
		out[i] = c.name
	}
	return out
}

// copyable lists the tables a copy takes, as the database has them.
func (s *DB) copyable(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, s.copyDialect().tables)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	names, err := scanStrings(rows)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return slices.DeleteFunc(names, func(n string) bool { return slices.Contains(skipTables, n) }), nil
}

func (s *DB) columns(ctx context.Context, q queryer, name string) ([]column, error) {
	rows, err := q.QueryContext(ctx, s.copyDialect().columns, name)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", name, err)
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ, &c.pk); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// foreignKeys maps each column of table name that refers to another table
// to that table.
func (s *DB) foreignKeys(ctx context.Context, q queryer, name string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, s.copyDialect().foreignKeys, name)
	if err != nil {
		return nil, fmt.Errorf("foreign keys of %s: %w", name, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var ref, col string
		if err := rows.Scan(&ref, &col); err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", name, err)
		}
		out[col] = ref
	}
	return out, rows.Err()
}

// queryer is what *sql.DB and *sql.Tx share for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// plan lists the tables to copy from src (read through q) to dst, parents
// before the tables that refer to them. A source table or column the
// destination lacks is an error: its data would be lost.
func plan(ctx context.Context, src *DB, q queryer, dst *DB, o CopyOptions) ([]table, error) {
	srcNames, err := src.copyable(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	dstNames, err := dst.copyable(ctx, dst.db)
	if err != nil {
		return nil, fmt.Errorf("destination: %w", err)
	}
	byName := map[string]table{}
	for _, name := range srcNames {
		if o.SkipSessions && (name == "sessions" || name == "campus_tickets") { // the tickets name sessions
			continue
		}
		if !slices.Contains(dstNames, name) {
			return nil, fmt.Errorf("table %s: the destination has no such table", name)
		}
		srcCols, err := src.columns(ctx, q, name)
		if err != nil {
			return nil, fmt.Errorf("source: %w", err)
		}
		dstCols, err := dst.columns(ctx, dst.db, name)
		if err != nil {
			return nil, fmt.Errorf("destination: %w", err)
		}
		fks, err := dst.foreignKeys(ctx, dst.db, name)
		if err != nil {
			return nil, fmt.Errorf("destination: %w", err)
		}
		t := table{name: name}
		for _, c := range srcCols {
			if !slices.ContainsFunc(dstCols, func(d column) bool { return d.name == c.name }) {
				return nil, fmt.Errorf("column %s.%s: the destination has no such column", name, c.name)
			}
			t.columns = append(t.columns, c)
			if c.pk > 0 {
				t.order = append(t.order, c)
			}
		}
		slices.SortFunc(t.order, func(a, b column) int { return a.pk - b.pk })
		if len(t.order) == 0 {
			t.order = t.columns
		}
		for col, ref := range fks {
			if ref == name {
				t.selfRef = append(t.selfRef, col)
			} else if !slices.Contains(t.refs, ref) {
				t.refs = append(t.refs, ref)
			}
		}
		slices.Sort(t.selfRef)
		byName[name] = t
	}
	// Parents first (a depth-first topological order); names sorted so the
	// order is the same every time.
	var out []table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string) error
	visit = func(name string) error {
		t, ok := byName[name]
		if !ok || state[name] == 2 {
			return nil
		}
		if state[name] == 1 {
			return fmt.Errorf("table %s: its foreign keys form a cycle", name)
		}
		state[name] = 1
		refs := slices.Sorted(slices.Values(t.refs))
		for _, r := range refs {
			if err := visit(r); err != nil {
				return err
			}
		}
		state[name] = 2
		out = append(out, t)
		return nil
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range byName {
			if !yield(n) {
				return
			}
		}
	}) {
		if err := visit(name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CheckEmpty returns ErrNotEmpty, naming the tables that hold rows, unless
// every table a copy writes is empty.
func (s *DB) CheckEmpty(ctx context.Context) error {
	names, err := s.copyable(ctx, s.db)
	if err != nil {
		return err
	}
	var full []string
	for _, name := range names {
		var n int64
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(name)).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", name, err)
		}
		if n > 0 {
			full = append(full, fmt.Sprintf("%s (%d)", name, n))
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("%w: rows in %s", ErrNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// CopyTables copies every table of src into dst, which must be empty and
// at the same schema version, keeping the ids; then reads dst back and
// compares each table's rows and checksum with what was read from src
// (ErrMismatch when they differ). The source is read in one snapshot; the
// destination is written copyBatch rows to a transaction, so a failed copy
// can leave part of the rows behind (and a second copy then refuses the
// destination until it is emptied).
func CopyTables(ctx context.Context, src, dst *DB, o CopyOptions) ([]TableCopy, error) {
	from, err := src.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	to, err := dst.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("destination: %w", err)
	}
	if from != to {
		return nil, fmt.Errorf("schema versions differ: source %d, destination %d; run the same newsdesk version on both", from, to)
	}
	if err := dst.CheckEmpty(ctx); err != nil {
		return nil, err
	}
	opts := src.copyDialect().readTx
	rtx, err := src.db.BeginTx(ctx, &opts)
	if err != nil {
		return nil, fmt.Errorf("source: begin: %w", err)
	}
	defer rtx.Rollback()
	tables, err := plan(ctx, src, rtx, dst, o)
	if err != nil {
		return nil, err
	}
	var out []TableCopy
	for _, t := range tables {
		start := time.Now()
		sum, err := copyTable(ctx, rtx, src, dst, t)
		if err != nil {
			return out, fmt.Errorf("copy %s: %w", t.name, err)
		}
		got, err := dst.tableSum(ctx, dst.db, t)
		if err != nil {
			return out, fmt.Errorf("verify %s: %w", t.name, err)
		}
		tc := TableCopy{Table: t.name, Columns: t.names(), From: sum, To: got, Took: time.Since(start)}
		out = append(out, tc)
		if o.Progress != nil {
			o.Progress(tc)
		}
	}
	var bad []string
	for _, tc := range out {
		if tc.From != tc.To {
			bad = append(bad, fmt.Sprintf("%s (source %d rows %.12s, destination %d rows %.12s)",
				tc.Table, tc.From.Rows, tc.From.Sum, tc.To.Rows, tc.To.Sum))
		}
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("%w: %s", ErrMismatch, strings.Join(bad, ", "))
	}
	return out, nil
}

// copyTable streams t's rows from the source transaction into dst, a batch
// to a transaction, and returns the sum of the rows it read. Columns that
// refer to the table itself are written NULL first and set once every row
// is in, as a row may refer to one with a larger id.
func copyTable(ctx context.Context, rtx *sql.Tx, src, dst *DB, t table) (TableSum, error) {
	names := t.names()
	rows, err := rtx.QueryContext(ctx, src.selectOrdered(t))
	if err != nil {
		return TableSum{}, fmt.Errorf("read: %w", err)
	}
	defer rows.Close()
	sum := TableSum{Table: t.name}
	h := sha256.New()
	values := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range values {
		ptrs[i] = &values[i]
	}
	selfRef := make([]bool, len(names))
	for i, n := range names {
		selfRef[i] = slices.Contains(t.selfRef, n)
	}
	full := dst.q(insertRows(t.name, names, copyRowsPerInsert))
	pending := make([]any, 0, copyRowsPerInsert*len(names)) // the rows not yet inserted, column after column
	var wtx *sql.Tx
	var stmt *sql.Stmt
	// flush inserts the pending rows, in the current transaction.
	flush := func() error {
		n := len(pending) / len(names)
		if n == 0 {
			return nil
		}
		var err error
		if n == copyRowsPerInsert {
			_, err = stmt.ExecContext(ctx, pending...)
		} else {
			_, err = wtx.ExecContext(ctx, dst.q(insertRows(t.name, names, n)), pending...)
		}
		if err != nil {
			return fmt.Errorf("write rows %d to %d: %w", sum.Rows-int64(n)+1, sum.Rows, err)
		}
		pending = pending[:0]
		return nil
	}
	commit := func() error {
		if wtx == nil {
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		stmt.Close()
		err := wtx.Commit()
		wtx, stmt = nil, nil
		return err
	}
	defer func() {
		if wtx != nil {
			wtx.Rollback()
		}
	}()
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return sum, fmt.Errorf("read: %w", err)
		}
		if err := hashRow(h, values); err != nil {
			return sum, err
		}
		if wtx == nil {
			if wtx, err = dst.db.BeginTx(ctx, nil); err != nil {
				return sum, fmt.Errorf("write: %w", err)
			}
			if stmt, err = wtx.PrepareContext(ctx, full); err != nil {
				return sum, fmt.Errorf("write: %w", err)
			}
		}
		for i, v := range values {
			if selfRef[i] {
				v = nil
			}
			pending = append(pending, v) // Scan copied any bytes: the row stays valid
		}
		sum.Rows++
		switch {
		case sum.Rows%copyBatch == 0:
			if err := commit(); err != nil {
				return sum, fmt.Errorf("write: %w", err)
			}
		case sum.Rows%copyRowsPerInsert == 0:
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("read: %w", err)
	}
	if err := commit(); err != nil {
		return sum, fmt.Errorf("write: %w", err)
	}
	sum.Sum = hex.EncodeToString(h.Sum(nil))
	if err := copySelfRefs(ctx, rtx, src, dst, t); err != nil {
		return sum, err
	}
	if reset := dst.copyDialect().resetIDs; reset != nil {
		if err := dst.tx(ctx, func(tx *txConn) error { return reset(ctx, tx.Tx, t.name) }); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// insertRows is an INSERT of n rows into the columns of table.
func insertRows(table string, columns []string, n int) string {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = quoteIdent(c)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	return fmt.Sprintf(`INSERT INTO %s (%s) VALUES %s`, quoteIdent(table), strings.Join(quoted, ", "),
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
}

// copySelfRefs sets the columns of t that refer to t itself, left NULL by
// copyTable, on the rows whose source has them.
func copySelfRefs(ctx context.Context, rtx *sql.Tx, src, dst *DB, t table) error {
	for _, col := range t.selfRef {
		var keys, sets []string
		for _, c := range t.order {
			keys = append(keys, quoteIdent(c.name))
			sets = append(sets, quoteIdent(c.name)+" = ?")
		}
		rows, err := rtx.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %s IS NOT NULL`,
			quoteIdent(col), strings.Join(keys, ", "), quoteIdent(t.name), quoteIdent(col)))
		if err != nil {
			return fmt.Errorf("read %s: %w", col, err)
		}
		update := dst.q(fmt.Sprintf(`UPDATE %s SET %s = ? WHERE %s`, quoteIdent(t.name), quoteIdent(col), strings.Join(sets, " AND ")))
		err = dst.tx(ctx, func(c *txConn) error {
			tx := c.Tx // a copy's queries run once: not kept prepared
			values := make([]any, 1+len(keys))
			ptrs := make([]any, len(values))
			for i := range values {
				ptrs[i] = &values[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, update, values...); err != nil {
					return err
				}
			}
			return rows.Err()
		})
		rows.Close()
		if err != nil {
			return fmt.Errorf("set %s: %w", col, err)
		}
	}
	return nil
}

// selectOrdered reads t's copied columns in primary-key order.
func (s *DB) selectOrdered(t table) string {
	order := make([]string, len(t.order))
	for i, c := range t.order {
		order[i] = s.copyDialect().orderBy(c.name, c.typ)
	}
	quoted := make([]string, len(t.columns))
	for i, c := range t.columns {
		quoted[i] = quoteIdent(c.name)
	}
	return fmt.Sprintf(`SELECT %s FROM %s ORDER BY %s`, strings.Join(quoted, ", "), quoteIdent(t.name), strings.Join(order, ", "))
}

// tableSum counts and sums t's rows as copyTable did.
func (s *DB) tableSum(ctx context.Context, q queryer, t table) (TableSum, error) {
	rows, err := q.QueryContext(ctx, s.selectOrdered(t))
	if err != nil {
		return TableSum{}, err
	}
	defer rows.Close()
	sum := TableSum{Table: t.name}
	h := sha256.New()
	values := make([]any, len(t.columns))
	ptrs := make([]any, len(values))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return sum, err
		}
		if err := hashRow(h, values); err != nil {
			return sum, err
		}
		sum.Rows++
	}
	if err := rows.Err(); err != nil {
		return sum, err
	}
	sum.Sum = hex.EncodeToString(h.Sum(nil))
	return sum, nil
}

// TableSums counts and sums every table a copy takes, in the order a copy
// takes them (sessions left out with skipSessions), for checking a copy
// later or that a database did not change.
func (s *DB) TableSums(ctx context.Context, skipSessions bool) ([]TableSum, error) {
	opts := s.copyDialect().readTx
	rtx, err := s.db.BeginTx(ctx, &opts)
	if err != nil {
		return nil, err
	}
	defer rtx.Rollback()
	tables, err := plan(ctx, s, rtx, s, CopyOptions{SkipSessions: skipSessions})
	if err != nil {
		return nil, err
	}
	var out []TableSum
	for _, t := range tables {
		sum, err := s.tableSum(ctx, rtx, t)
		if err != nil {
			return nil, fmt.Errorf("sum %s: %w", t.name, err)
		}
		out = append(out, sum)
	}
	return out, nil
}

// hashRow writes one row to h in a form both databases give alike: each
// value as text (integers in decimal, text as is, bytes as they are) behind
// its length, NULL as "-", and a newline after the row.
func hashRow(h hash.Hash, values []any) error {
	var b []byte
	for _, v := range values {
		var text string
		switch v := v.(type) {
		case nil:
			b = append(b, '-')
			continue
		case int64:
			text = strconv.FormatInt(v, 10)
		case int32:
			text = strconv.FormatInt(int64(v), 10)
		case float64:
			text = strconv.FormatFloat(v, 'g', -1, 64)
		case bool:
			text = "0"
			if v {
				text = "1"
			}
		case string:
			text = v
		case []byte:
			text = string(v)
		case time.Time:
			text = strconv.FormatInt(v.Unix(), 10)
		default:
			return fmt.Errorf("checksum: a value of type %T", v)
		}
		b = strconv.AppendInt(b, int64(len(text)), 10)
		b = append(b, ':')
		b = append(b, text...)
	}
	b = append(b, '\n')
	h.Write(b)
	return nil
}

// MediaFile is a file that the media rows name: the served copy (with its
// sha256), the original kept apart, or a variant. Size is -1 when the
// rows do not record it.
type MediaFile struct {
	Key    string
	Size   int64
	SHA256 string // "" when the rows do not record it
}

// MediaFiles calls fn for every file the media and media_variants rows
// name, in id order.
func (s *DB) MediaFiles(ctx context.Context, fn func(MediaFile) error) error {
	queries := []string{
		`SELECT key, size, checksum FROM media ORDER BY id`,
		`SELECT original_key, -1, '' FROM media WHERE original_key <> '' ORDER BY id`,
		`SELECT key, size, '' FROM media_variants ORDER BY media_id, content_type, width`,
	}
	for _, query := range queries {
		rows, err := s.db.QueryContext(ctx, query)
		if err != nil {
			return fmt.Errorf("list media files: %w", err)
		}
		for rows.Next() {
			var f MediaFile
			if err := rows.Scan(&f.Key, &f.Size, &f.SHA256); err != nil {
				rows.Close()
				return fmt.Errorf("list media files: %w", err)
			}
			if err := fn(f); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("list media files: %w", err)
		}
	}
	return nil
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

package importer_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/importer"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(append(out, typ...), data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// TestImportChecksPhotosByStructureAndTheJobMarksWhatDoesNotDecode: an
// import refuses a truncated photo, naming the story and the file, and
// takes a well-formed PNG whose pixels do not decode; the variants job
// then marks that one unreadable and names the story that uses it.
func TestImportChecksPhotosByStructureAndTheJobMarksWhatDoesNotDecode(t *testing.T) {
	a := openSite(t, "")
	good := photo(t, 2, "jpeg")
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 640), 480)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	undecodable := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	undecodable = append(undecodable, pngChunk("IDAT", append([]byte{0x78, 0x9c}, bytes.Repeat([]byte{0xFF}, 40)...))...)
	undecodable = append(undecodable, pngChunk("IEND", nil)...)
	files := map[string][]byte{"/good.jpg": good, "/cut.jpg": good[:len(good)-10], "/broken.png": undecodable}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := files[r.URL.Path]; ok {
			w.Write(b)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	item := func(id int, title, img string) string {
		return fmt.Sprintf(`<item><title>%s</title><guid>http://old.example.edu.cn/?p=%d</guid><content:encoded><![CDATA[<p>正文。</p><p><img src="%s%s" alt="图"></p>]]></content:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date_gmt>2020-11-05 08:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
`, title, id, srv.URL, img, id)
	}
	wxr := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>旧网站</title><wp:base_blog_url>http://old.example.edu.cn</wp:base_blog_url>
` + item(1, "好图的稿件", "/good.jpg") + item(2, "截断图片的稿件", "/cut.jpg") + item(3, "坏像素的稿件", "/broken.png") + `</channel></rss>
`
	sum, err := importer.ForApp(a, model.SystemActor("cli"), nil).Run(ctx, "wxr:http://old.example.edu.cn", parse(t, a, wxr))
	if err != nil || sum.Created != 3 || sum.Photos != 2 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	i := slices.IndexFunc(sum.Skipped, func(s importer.Skip) bool { return strings.HasSuffix(s.What, "/cut.jpg") })
	if i < 0 || !strings.Contains(why(t, sum.Skipped[i]), "cut.jpg") || sum.Skipped[i].Why.Key != "invalid.upload_truncated" || !strings.Contains(why(t, sum.Skipped[i]), "incomplete") || !strings.HasPrefix(sum.Skipped[i].Where, "export.xml:") {
		t.Fatalf("the truncated photo is not listed as skipped with where and why: %+v", sum.Skipped)
	}
	ms, _, err := a.Store.MediaList(ctx, store.MediaQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var broken model.Media
	for _, m := range ms {
		if m.Name == "broken.png" {
			broken = m
		}
	}
	if broken.ID == 0 || broken.Unreadable != "" {
		t.Fatalf("the well-formed PNG was not imported unmarked: %+v", ms)
	}
	if _, err := a.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		got, _ := a.Store.Media(ctx, m.ID)
		if (got.Unreadable != "") != (m.ID == broken.ID) {
			t.Errorf("%s: unreadable %q after the variants job", m.Name, got.Unreadable)
		}
	}
	// What the job's log says, again: the file and the story that uses it.
	err = a.Media.MakeVariants(ctx, broken.ID)
	if !errors.Is(err, model.ErrPermanent) || !strings.Contains(err.Error(), "broken.png") || !strings.Contains(err.Error(), "坏像素的稿件") {
		t.Errorf("variants job error: %v", err)
	}
}

package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/demo/photo"
	"newsdesk/internal/media/videotest"
	"newsdesk/internal/model"
)

// postVideo posts the editor's video form: the file, its poster, a caption.
func (c *deskClient) postVideo(name string, video []byte, poster []byte, caption string) (int, map[string]any) {
	c.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", c.csrf())
	mw.WriteField("caption", caption)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(video)
	if poster != nil {
		pw, _ := mw.CreateFormFile("poster", "封面.jpg")
		pw.Write(poster)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/desk/videos", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		c.t.Fatalf("the video answer is not JSON: %v", err)
	}
	return res.StatusCode, out
}

// TestVideoUploadedShownWithNativeControls: a correspondent uploads an MP4
// with its poster from the editor and gets the figure to insert; a file
// that is no MP4 (named .mp4) and a video without a poster are refused
// with a clear message; the story published with the figure shows the
// video on its public page with native controls, the poster and metadata
// preload, the file is served as video/mp4 with Range requests, and the
// content API carries it with full addresses.
func TestVideoUploadedShownWithNativeControls(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor := signIn(t, srv, "contributor")
	poster, err := photo.JPEG(3, 640, 360)
	if err != nil {
		t.Fatal(err)
	}
	status, out := contributor.postVideo("宣传片.mp4", []byte("这不是视频，只是改了扩展名的文本文件"), poster, "")
	if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out["error"]), "文件 宣传片.mp4 不是可播放的 MP4 视频") {
		t.Errorf("a text file named .mp4: %d %v", status, out)
	}
	video := videotest.MP4(20000)
	status, out = contributor.postVideo("开学典礼.mp4", video, nil, "")
	if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out["error"]), "需要一张封面图片") {
		t.Errorf("a video without a poster: %d %v", status, out)
	}
	status, out = contributor.postVideo("开学典礼.mp4", video, poster, "2026 年开学典礼")
	if status != http.StatusOK {
		t.Fatalf("upload: %d %v", status, out)
	}
	fig, _ := out["html"].(string)
	if !strings.Contains(fig, `<video controls preload="metadata" poster="/media/`) || !strings.Contains(fig, `<figcaption>2026 年开学典礼</figcaption>`) {
		t.Fatalf("the figure to insert: %s", fig)
	}
	cols, _ := a.Store.Columns(ctx)
	st := model.Article{ColumnID: cols[1].ID, Title: "视频：2026 年开学典礼", Summary: "开学典礼视频", Status: model.StatusPublished, PublishedAt: time.Now().Add(-time.Minute),
		Body: "<p>典礼现场。</p>" + fig + `<p>（完）</p>`}
	if err := a.Articles.Import(ctx, model.SystemActor("test"), &st, "test"); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(srv.URL + fmt.Sprintf("/articles/%d", st.ID))
	if err != nil {
		t.Fatal(err)
	}
	d, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("public page: %d %v", res.StatusCode, err)
	}
	v := d.Find("figure.video video")
	src, _ := v.Attr("src")
	posterURL, _ := v.Attr("poster")
	_, controls := v.Attr("controls")
	if v.Length() != 1 || !controls || v.AttrOr("preload", "") != "metadata" || !strings.HasPrefix(src, "/media/") || !strings.HasPrefix(posterURL, "/media/") {
		t.Fatalf("the public page's video: %d %v", v.Length(), v.Nodes)
	}
	if _, autoplay := v.Attr("autoplay"); autoplay {
		t.Error("the video plays by itself")
	}
	req, _ := http.NewRequest("GET", srv.URL+src, nil)
	req.Header.Set("Range", "bytes=0-99")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || res.Header.Get("Content-Type") != "video/mp4" || !bytes.Equal(part, video[:100]) {
		t.Errorf("the video file: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(part))
	}
	if res, _ := http.Get(srv.URL + posterURL); res == nil || res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/") {
		t.Errorf("the poster is not served to readers")
	}
	res, err = http.Get(srv.URL + fmt.Sprintf("/api/v1/articles/%d", st.ID))
	if err != nil {
		t.Fatal(err)
	}
	var api struct {
		BodyHTML string `json:"body_html"`
	}
	json.NewDecoder(res.Body).Decode(&api)
	res.Body.Close()
	base := strings.TrimSuffix(a.Site.BaseURL, "/")
	if base == "" {
		st, _ := a.Site.Settings(ctx)
		base = strings.TrimSuffix(st.BaseURL, "/")
	}
	if !strings.Contains(api.BodyHTML, `poster="`+base+posterURL+`"`) || !strings.Contains(api.BodyHTML, `src="`+base+src+`"`) {
		t.Errorf("the content API's body does not carry the video with full addresses (%s):\n%s", base, api.BodyHTML)
	}
}

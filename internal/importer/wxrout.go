package importer

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/store"
)

// exportPage is how many stories WriteWXR reads at a time.
const exportPage = 500

// attachmentBase numbers the exported lead images apart from the stories:
// a WXR file gives both post ids from one sequence.
const attachmentBase = 1_000_000_000

// wxrStatusOut maps Newsdesk's states to WordPress's: what is not public
// and not finished is a draft.
var wxrStatusOut = map[string]string{
	model.StatusPublished: "publish",
	model.StatusScheduled: "future",
	model.StatusWithdrawn: "private",
}

// WriteWXR writes the site as a WordPress export (WXR 1.2), for a site
// moving to WordPress: columns as categories (nested), every story as a
// post with its state, time, summary, body and lead image (an attachment
// whose address is the file's on this site), editor pages as pages.
// base is the site's address, tz its time zone. Stories are read a page
// at a time, never all at once.
func WriteWXR(ctx context.Context, w io.Writer, st store.Store, siteName, base string, tz *time.Location) error {
	base = strings.TrimSuffix(base, "/")
	cols, err := st.Columns(ctx)
	if err != nil {
		return err
	}
	tree := column.NewTree(cols)
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	cdata := func(s string) string { return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>" }
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>%s</title>
	<link>%s</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>%s</wp:base_site_url>
	<wp:base_blog_url>%s</wp:base_blog_url>
`, esc(siteName), esc(base), esc(base), esc(base))
	for _, c := range cols {
		parent := ""
		if p, ok := tree.Get(c.ParentID); ok && c.ParentID != 0 {
			parent = p.Slug
		}
		fmt.Fprintf(w, "\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename>%s</wp:category_nicename><wp:category_parent>%s</wp:category_parent><wp:cat_name>%s</wp:cat_name></wp:category>\n",
			c.ID, esc(c.Slug), esc(parent), cdata(c.Name))
	}
	absolute := func(body string) string {
		return strings.ReplaceAll(body, `src="`+media.Prefix, `src="`+base+media.Prefix)
	}
	layout := "2006-01-02 15:04:05"
	after := int64(0)
	for {
		arts, _, err := st.Articles(ctx, store.ArticleQuery{ByID: true, AfterID: after, Limit: exportPage, NoTotal: true})
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(arts))
		for _, a := range arts {
			if a.LeadMediaID != 0 {
				ids = append(ids, a.LeadMediaID)
			}
		}
		leads, err := st.MediaByIDs(ctx, ids)
		if err != nil {
			return err
		}
		for _, a := range arts {
			link := base + reader.ArticleURL(a.ID)
			status, ok := wxrStatusOut[a.Status]
			if !ok {
				status = "draft"
			}
			when := a.PublishedAt
			if when.IsZero() {
				when = a.CreatedAt
			}
			col, _ := tree.Get(a.ColumnID)
			creator := ""
			if len(a.Credits.Writers) > 0 {
				creator = strings.Join(a.Credits.Writers, " ")
			}
			body := absolute(a.Body) + creditLines(a.Credits)
			fmt.Fprintf(w, "\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n\t\t<pubDate>%s</pubDate>\n\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"true\">%s</guid>\n",
				esc(a.Title), esc(link), when.UTC().Format(time.RFC1123Z), cdata(creator), esc(link))
			fmt.Fprintf(w, "\t\t<content:encoded>%s</content:encoded>\n\t\t<excerpt:encoded>%s</excerpt:encoded>\n", cdata(body), cdata(a.Summary))
			fmt.Fprintf(w, "\t\t<wp:post_id>%d</wp:post_id>\n\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n\t\t<wp:status>%s</wp:status>\n\t\t<wp:post_type>post</wp:post_type>\n",
				a.ID, when.In(tz).Format(layout), when.UTC().Format(layout), status)
			if col.ID != 0 {
				fmt.Fprintf(w, "\t\t<category domain=\"category\" nicename=\"%s\">%s</category>\n", esc(col.Slug), cdata(col.Name))
			}
			m, hasLead := leads[a.LeadMediaID]
			if hasLead {
				fmt.Fprintf(w, "\t\t<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>%d</wp:meta_value></wp:postmeta>\n", attachmentBase+m.ID)
			}
			fmt.Fprint(w, "\t</item>\n")
			if hasLead {
				fmt.Fprintf(w, "\t<item><title>%s</title><wp:post_id>%d</wp:post_id><wp:post_parent>%d</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><excerpt:encoded>%s</excerpt:encoded><wp:attachment_url>%s</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>%s</wp:meta_value></wp:postmeta></item>\n",
					esc(m.Name), attachmentBase+m.ID, a.ID, cdata(m.Caption), esc(base+media.URL(m)), cdata(m.Alt))
			}
		}
		if len(arts) < exportPage {
			break
		}
		after = arts[len(arts)-1].ID
	}
	pages, err := st.Pages(ctx)
	if err != nil {
		return err
	}
	for i, p := range pages {
		fmt.Fprintf(w, "\t<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid><content:encoded>%s</content:encoded><wp:post_id>%d</wp:post_id><wp:post_date_gmt>%s</wp:post_date_gmt><wp:post_name>%s</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>\n",
			esc(p.Title), esc(base+reader.PageURL(p.Slug)), esc(base+reader.PageURL(p.Slug)), cdata(absolute(p.Body)), 2*attachmentBase+i, p.UpdatedAt.UTC().Format(layout), esc(p.Slug))
	}
	_, err = fmt.Fprint(w, "</channel>\n</rss>\n")
	return err
}

// creditLines writes a story's credits back as the closing lines they
// are read from, so a WordPress site shows them.
func creditLines(c model.Credits) string {
	var b strings.Builder
	line := func(label, v string) {
		if v != "" {
			b.WriteString("<p>" + label + "：" + xmlText(v) + "</p>")
		}
	}
	line("文字", strings.Join(c.Writers, " "))
	line("图片", strings.Join(c.Photographers, " "))
	line("责任编辑", c.Editor)
	line("供稿单位", c.Unit)
	line("来源", c.Source)
	return b.String()
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

package latex

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/nickng/bibtex"
)

// biblatexRenames are the field names that differ between classic BibTeX
// (left) and biblatex (right) with the same meaning.
var biblatexRenames = [][2]string{
	{"journal", "journaltitle"},
	{"address", "location"},
	{"archiveprefix", "eprinttype"},
	{"primaryclass", "eprintclass"},
}

// toBibTeXTypes maps biblatex-only entry types to the closest BibTeX type.
var toBibTeXTypes = map[string]string{
	"online": "misc", "www": "misc", "electronic": "misc",
	"mvbook": "book", "bookinbook": "inbook", "collection": "book", "mvcollection": "book",
	"reference": "book", "mvreference": "book", "inreference": "incollection",
	"proceedings": "proceedings", "mvproceedings": "proceedings",
	"report": "techreport", "dataset": "misc", "software": "misc", "patent": "misc",
	"periodical": "misc", "suppbook": "inbook", "suppcollection": "incollection",
	"artwork": "misc", "audio": "misc", "video": "misc", "music": "misc", "image": "misc",
	"movie": "misc", "performance": "misc", "standard": "misc", "legislation": "misc",
	"legal": "misc", "letter": "misc", "review": "article", "conference": "inproceedings",
}

var dateRE = regexp.MustCompile(`^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$`)

// convertDialect maps c's fields and type to the dialect to.
func convertDialect(c *cleanEntry, to Dialect) {
	switch to {
	case DialectBiblatex:
		toBiblatex(c)
	case DialectBibTeX:
		toBibTeX(c)
	}
}

func toBiblatex(c *cleanEntry) {
	for _, r := range biblatexRenames {
		c.rename(r[0], r[1])
	}
	switch c.typ {
	case "phdthesis", "mastersthesis":
		if _, ok := c.get("type"); !ok {
			t := "phdthesis"
			if c.typ == "mastersthesis" {
				t = "mathesis"
			}
			c.set("type", bibtex.BibConst(t))
		}
		c.typ = "thesis"
		c.rename("school", "institution")
	case "techreport":
		if _, ok := c.get("type"); !ok {
			c.set("type", bibtex.BibConst("techreport"))
		}
		c.typ = "report"
	case "conference":
		c.typ = "inproceedings"
	case "misc":
		how := c.text("howpublished")
		if u, ok := urlOf(how); ok || (how == "" && c.text("url") != "") {
			if ok {
				if _, has := c.get("url"); !has {
					c.setAt(c.index("howpublished"), "url", bibtex.BibConst(u))
				}
				c.del("howpublished")
			}
			c.typ = "online"
		}
	}
	if _, ok := c.get("school"); ok && c.typ == "thesis" {
		c.rename("school", "institution")
	}
	// year (+ month) to date, when both are plain.
	if _, ok := c.get("date"); ok {
		return
	}
	y, ok := c.get("year")
	if !ok {
		return
	}
	yc, isConst := y.(bibtex.BibConst)
	year := strings.TrimSpace(string(yc))
	if !isConst || !dateRE.MatchString(year) || len(year) != 4 {
		return
	}
	date := year
	if m, ok := c.get("month"); ok {
		mm, ok := monthMacro(m)
		if !ok {
			return
		}
		for i, k := range monthKeys {
			if k == mm {
				date += "-" + twoDigits(i+1)
			}
		}
		c.del("month")
	}
	c.setAt(c.index("year"), "date", bibtex.BibConst(date))
	c.del("year")
}

func toBibTeX(c *cleanEntry) {
	for _, r := range biblatexRenames {
		c.rename(r[1], r[0])
	}
	switch c.typ {
	case "thesis":
		t := strings.ToLower(c.text("type"))
		switch t {
		case "mathesis", "masters", "mastersthesis", "master's thesis":
			c.typ = "mastersthesis"
			c.del("type")
		case "phdthesis", "phd", "":
			c.typ = "phdthesis"
			c.del("type")
		default:
			c.typ = "phdthesis"
		}
		c.rename("institution", "school")
	case "report":
		c.typ = "techreport"
		if strings.EqualFold(c.text("type"), "techreport") {
			c.del("type")
		}
	default:
		if t, ok := toBibTeXTypes[c.typ]; ok {
			if c.typ == "online" || c.typ == "www" || c.typ == "electronic" {
				if u := c.text("url"); u != "" {
					if _, ok := c.get("howpublished"); !ok {
						c.set("howpublished", bibtex.BibConst(`\url{`+u+`}`))
					}
				}
			}
			c.typ = t
		}
	}
	// date to year and month.
	d, ok := c.get("date")
	if !ok {
		return
	}
	dc, isConst := d.(bibtex.BibConst)
	m := dateRE.FindStringSubmatch(strings.TrimSpace(string(dc)))
	if !isConst || m == nil {
		return
	}
	at := c.index("date")
	c.del("date")
	if _, ok := c.get("year"); !ok {
		c.setAt(at, "year", bibtex.BibConst(m[1]))
		at++
	}
	if m[2] != "" {
		if _, ok := c.get("month"); !ok {
			n, _ := strconv.Atoi(m[2])
			if n >= 1 && n <= 12 {
				c.setAt(at, "month", &bibtex.BibVar{Key: monthKeys[n-1], Value: bibtex.BibConst(monthKeys[n-1])})
			}
		}
	}
}

// urlOf returns the URL of a howpublished value that is just `\url{...}`.
func urlOf(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, `\url{`) && strings.HasSuffix(s, "}") && strings.Count(s, "}") == 1 {
		return s[len(`\url{`) : len(s)-1], true
	}
	return "", false
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

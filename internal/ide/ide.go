// Package ide serves GraphiQL, the GraphQL IDE, from the binary itself: government
// networks are often closed, so nothing is fetched from a CDN at run time. The
// assets (GraphiQL 3.8.3 and React 18.3.1, MIT licensed, see assets/LICENSE.*) are
// stored gzip-compressed.
package ide

import (
	"compress/gzip"
	"embed"
	"html/template"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// Handler serves the IDE page at / and its assets under /ide/. graphqlPath is where
// the page sends queries.
func Handler(graphqlPath string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ide/{file}", serveAsset)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:")
		_ = page.Execute(w, struct{ GraphQL string }{graphqlPath})
	})
	return mux
}

func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	f, err := assets.Open("assets/" + name + ".gz")
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.Copy(w, f)
		return
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		http.Error(w, "corrupt asset", http.StatusInternalServerError)
		return
	}
	_, _ = io.Copy(w, zr)
}

var page = template.Must(template.New("ide").Parse(`<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prasan · ประสาน — GraphQL</title>
<link rel="stylesheet" href="/ide/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL IDE…</div>
<script src="/ide/react.production.min.js"></script>
<script src="/ide/react-dom.production.min.js"></script>
<script src="/ide/graphiql.min.js"></script>
<script>
const defaultQuery = ` + "`" + `# Prasan · ประสาน: villages, plans and budgets.
# Run with Ctrl-Enter; the Docs panel is the manual.
query RoiJaiRakProgress {
  program(code: "ROIJAIRAK-EXP-2564") {
    nameTh
    nameEn
    progress(fiscalYear: 2564) {
      villagesTargeted
      subdistrictCount
      districtCount
      provinceCount
      plansCompleted
      plansNotStarted
      byProvince { area { code nameTh } villagesTargeted plansCompleted }
    }
  }
}
` + "`" + `;
const fetcher = GraphiQL.createFetcher({ url: {{.GraphQL}} });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolbarTabs: 'headers' }));
</script>
</body>
</html>
`))

"""GraphiQL, Strawberry's page, with a way out: it loads its scripts from a public
CDN, and on a network that cannot reach it the page would say "Loading..."
forever. When its scripts have not loaded, the page says so and shows what works
without them: the schema, a curl example and the Open Referral endpoints."""

from functools import cache

from strawberry.http.ides import get_graphql_ide_html

LOADING = '<div id="graphiql" class="graphiql-container">Loading...</div>'
EXAMPLE = (
    "curl -s ORIGIN/graphql -H 'content-type: application/json' -d "
    '\'{"query": "{ partners(first: 3) { edges { node { name summary } } } }"}\''
)
FALLBACK = f"""
    <main id="offline" hidden style="font: 16px/1.5 system-ui, sans-serif;
      max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a">
      <h1>GraphiQL could not load</h1>
      <p>Its scripts come from unpkg.com, which this network does not reach. The
      API itself works without them:</p>
      <ul>
        <li>The schema, with every type and field described:
          <a href="/schema.graphql">/schema.graphql</a></li>
        <li>A query from the command line:
          <pre style="white-space: pre-wrap; background: #f2f2f2; padding: .5rem"
            ><code data-origin>{EXAMPLE}</code></pre></li>
        <li>Open Referral HSDS 3.0, as JSON: <a href="/hsds/">/hsds/</a>,
          <a href="/hsds/organizations">/hsds/organizations</a>,
          <a href="/hsds/services">/hsds/services</a>,
          <a href="/hsds/service_at_locations">/hsds/service_at_locations</a>,
          <a href="/hsds/taxonomy_terms">/hsds/taxonomy_terms</a> and the change
          log <a href="/hsds/changes">/hsds/changes</a>.</li>
      </ul>
    </main>
    <noscript><p>GraphiQL needs JavaScript. The schema is at
      <a href="/schema.graphql">/schema.graphql</a>; Open Referral data at
      <a href="/hsds/">/hsds/</a>.</p></noscript>
    <script>
      window.addEventListener("load", function () {{
        if (window.React && window.ReactDOM && window.GraphiQL) return;
        document.getElementById("graphiql").style.display = "none";
        document.getElementById("offline").hidden = false;
        document.querySelectorAll("[data-origin]").forEach(function (code) {{
          code.textContent = code.textContent.replace("ORIGIN", location.origin);
        }});
      }});
    </script>"""


@cache
def page() -> str:
    """The GraphiQL page, with the fallback."""
    html = get_graphql_ide_html()
    if LOADING not in html:  # Strawberry changed its page: keep it as it is
        raise RuntimeError("GraphiQL's page has changed: update api/graphiql.py")
    return html.replace(LOADING, LOADING + FALLBACK, 1)

// Search and facets for the directory: a progressive enhancement over plain links.
// It reads the page language's static index under search/<build>/<language>/ (see
// search_index.py), fetching only the shards a search needs. Before each search it asks search/manifest.json
// (never cached) which build is current: when the site was rebuilt it drops what
// it holds and reads the new build's index, and when this script itself changed it
// reloads the page, so a tab left open for days never mixes two builds. Partner
// text is inserted with textContent only, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var script = document.currentScript ? document.currentScript.src.split("/").pop() : "";
  var indexUrl = form.getAttribute("data-index");
  var language = form.getAttribute("data-language");
  var home = form.getAttribute("data-home");
  var say = JSON.parse(document.getElementById("search-words").textContent);
  var results = document.querySelector(".results");
  var statusLine = document.getElementById("results-status");
  var list = document.getElementById("results-list");
  var more = document.getElementById("results-more");
  var browse = document.querySelector(".browse");
  var input = document.getElementById("q");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var summary = document.querySelector("#narrow summary");
  var summaryText = summary ? summary.textContent : "";
  var PAGE = 10;  // a phone's few screens; each page of results fetches its records
  var cache = {};
  var build = null;
  var meta = null;
  var current = { ids: [], shown: 0 };
  var generation = 0;

  function get(path) {
    var url = indexUrl + build + "/" + language + "/" + path;
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      });
    }
    return cache[url];
  }

  // Which build is current; a new one means starting over with its index.
  function checkBuild() {
    return fetch(indexUrl + "manifest.json", { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error("manifest: " + response.status);
      return response.json();
    }).then(function (manifest) {
      if (script && manifest.script !== script) {
        location.reload();  // the page and its script changed: take the new ones
        return new Promise(function () {});
      }
      if (manifest.build !== build) {
        build = manifest.build;
        cache = {};
        meta = null;
      }
    });
  }

  // As search_index.words(): lower-case ASCII words without accents.
  function words(text) {
    var plain = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return plain.match(/[a-z0-9]+/g) || [];
  }

  function telling(text) {
    return words(text).filter(function (w) {
      return w.length > 1 && meta.stopwords.indexOf(w) < 0;
    });
  }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)[sd]/g, function (all, key) { return values[key]; });
  }

  function begins(q, word) {
    return q === word || (q.length >= 3 && word.indexOf(q) === 0);
  }

  // Schools the words name, each with how many of the words its name holds:
  // every telling word of its name is one of them, or begins with one of three
  // letters or more ("oak hill", "roosev"). "hillcrest middle" names Hillcrest
  // Middle by two words and Hillcrest Elementary by one, so Hillcrest Middle's
  // partners rank first; words from two schools' names never add up.
  function namedSchools(query) {
    return meta.schools.filter(function (school) {
      return school[2].every(function (word) {
        return query.some(function (q) { return begins(q, word); });
      });
    }).map(function (school) {
      var name = words(school[1]);
      var held = query.filter(function (q) {
        return name.some(function (word) { return begins(q, word); });
      });
      return [school[0], held.length];
    });
  }

  // What a filter's choice is called: the option's text in the form.
  function label(key, value) {
    var select = form.elements[key];
    var option = select && Array.prototype.filter.call(select.options, function (o) {
      return o.value === value;
    })[0];
    return option ? option.textContent : value;
  }

  function ungap(gaps) {
    var out = [], n = 0;
    for (var i = 0; i < gaps.length; i++) { n += gaps[i]; out.push(n); }
    return out;
  }

  function intersect(a, b) {
    if (a === null) return b;
    var set = new Set(b);
    return a.filter(function (n) { return set.has(n); });
  }

  function union(lists) {
    var set = new Set();
    lists.forEach(function (l) { l.forEach(function (n) { set.add(n); }); });
    return Array.from(set).sort(function (x, y) { return x - y; });
  }

  // Partners whose text has a word starting with `word`: [all, in the name].
  function lookup(word) {
    var shard = word.slice(0, 2);
    if (meta.shards.indexOf(shard) < 0) return Promise.resolve([[], []]);
    return get("words/" + shard + ".json").then(function (entries) {
      var all = [], named = [];
      Object.keys(entries).forEach(function (token) {
        if (token.indexOf(word) !== 0) return;
        all.push(ungap(entries[token][0]));
        if (entries[token][1]) named.push(ungap(entries[token][1]));
      });
      return [union(all), union(named)];
    });
  }

  function chosen() {
    var picked = [];
    selects.forEach(function (select) {
      if (select.value) picked.push([select.name, select.value]);
    });
    return picked;
  }

  function search(retried) {
    var mine = ++generation;
    var picked = chosen();
    writeUrl();
    if (!input.value.trim() && !picked.length) {
      results.hidden = true;
      browse.hidden = false;
      return Promise.resolve();
    }
    var query = [];
    return checkBuild().then(function () {
      return get("meta.json");
    }).then(function (m) {
      meta = m;
      query = telling(input.value);
      var schools = namedSchools(query);
      var facetList = function (key, value) {
        return get("facets/" + key + "/" + encodeURIComponent(value) + ".json")
          .then(ungap, function () { return []; });
      };
      return Promise.all([
        Promise.all(query.map(lookup)),
        Promise.all(picked.map(function (p) { return facetList(p[0], p[1]); })),
        Promise.all(schools.map(function (s) {
          return facetList("school", s[0]).then(function (ids) { return [s[1], ids]; });
        }))
      ]);
    }).then(function (found) {
      if (mine !== generation) return;
      var ids = null, named = null;
      found[0].forEach(function (hit) { ids = intersect(ids, hit[0]); named = intersect(named, hit[1]); });
      found[1].forEach(function (hit) { ids = intersect(ids, hit); });
      if (ids === null) ids = [];
      // First the partners at a school the words name, by how many of the words
      // that school's name holds (the best of its schools); then those whose
      // name holds every word; A to Z within each group.
      var atSchool = new Map();
      found[2].forEach(function (school) {
        school[1].forEach(function (n) {
          atSchool.set(n, Math.max(atSchool.get(n) || 0, school[0]));
        });
      });
      var inName = new Set(named ? intersect(ids, named) : []);
      var rank = function (n) { return -2 * (atSchool.get(n) || 0) + (inName.has(n) ? 0 : 1); };
      current.ids = ids.map(function (n) { return [rank(n), n]; })
        .sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; })
        .map(function (pair) { return pair[1]; });
      current.shown = 0;
      list.textContent = "";
      return showMore().then(function () {
        if (mine !== generation) return;
        // announce the count once the results it speaks of are on the page
        results.hidden = false;
        browse.hidden = true;
        describe(picked);
      });
    }).catch(function () {
      if (mine !== generation) return;
      // the build may have changed between the manifest and a shard: once more
      if (!retried) { build = null; return search(true); }
      results.hidden = false;
      statusLine.textContent = say.unavailable;
      browse.hidden = false;
    });
  }

  function describe(picked) {
    var n = current.ids.length;
    var parts = [];
    if (input.value.trim()) parts.push("“" + input.value.trim() + "”");
    picked.forEach(function (p) { parts.push(label(p[0], p[1])); });
    var values = { num: n, what: parts.join(", ") };
    statusLine.textContent = fill(n === 0 ? say.none : n === 1 ? say.one : say.other, values);
  }

  function showMore() {
    var slice = current.ids.slice(current.shown, current.shown + PAGE);
    var chunks = union([slice.map(function (n) { return Math.floor(n / meta.chunk); })]);
    return Promise.all(chunks.map(function (c) { return get("records/" + c + ".json"); }))
      .then(function (loaded) {
        var byChunk = {};
        chunks.forEach(function (c, i) { byChunk[c] = loaded[i]; });
        slice.forEach(function (n) {
          list.appendChild(card(byChunk[Math.floor(n / meta.chunk)][n % meta.chunk]));
        });
        current.shown += slice.length;
        more.hidden = current.shown >= current.ids.length;
      });
  }

  function line(label, values) {
    var p = document.createElement("p");
    p.className = "card-meta";
    var strong = document.createElement("span");
    strong.className = "label";
    strong.textContent = label + ": ";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(values));
    return p;
  }

  var COST = [say.paid, say.some, say.free];

  function card(record) {
    var slug = record[0], name = record[1], summary = record[2];
    var services = record[3].map(function (i) { return meta.services[i][1]; });
    var schools = record[4].map(function (i) { return meta.schools[i]; });
    var grades = record[5];
    var programs = record[7], offered = record[8], english = record[9];
    var when = record[10];  // said at build time, in the page's language
    var li = document.createElement("li");
    li.className = "card";
    var h = document.createElement("h3");
    h.className = "card-title";
    var a = document.createElement("a");
    a.href = home + "partners/" + encodeURIComponent(slug) + "/";
    a.textContent = name;
    if (english & 1) a.lang = "en";
    h.appendChild(a);
    li.appendChild(h);
    if (summary) {
      var p = document.createElement("p");
      p.className = "card-summary";
      if (english & 2) {  // says so in the page's language, before the English
        p.lang = "en";
        var note = document.createElement("span");
        note.className = "in-english";
        note.lang = document.documentElement.lang;
        note.textContent = say.english;
        p.appendChild(note);
        p.appendChild(document.createTextNode(" "));
      }
      p.appendChild(document.createTextNode(summary));
      li.appendChild(p);
    }
    var cost = COST[record[6]];
    li.appendChild(grades ? line(say.grades, grades + " · " + cost) : plain(cost));
    if (when) {
      var meets = line(say.when, when);
      meets.className += " card-when";
      li.appendChild(meets);
    }
    var chosenLanguage = form.elements.language && form.elements.language.value;
    if (chosenLanguage && offered[chosenLanguage]) {
      li.appendChild(line(fill(say.offered, { language: label("language", chosenLanguage) }),
        offered[chosenLanguage].map(function (i) { return programs[i]; }).join(", ")));
    }
    if (services.length) li.appendChild(line(say.services, services.join(", ")));
    var school = form.elements.school && form.elements.school.value;
    schools.sort(function (x, y) { return (y[0] === school) - (x[0] === school); });
    if (schools.length) {
      var names = schools.slice(0, 3).map(function (s) { return s[1]; }).join(", ");
      if (schools.length > 3) names += " " + fill(say.more, { count: schools.length - 3 });
      li.appendChild(line(say.schools, names));
    }
    return li;
  }

  function plain(text) {
    var p = document.createElement("p");
    p.className = "card-meta";
    p.textContent = text;
    return p;
  }

  // On a phone the results start below the filters: bring them into view,
  // unless the filter was changed with the keyboard (arrow keys change a
  // select's choice at once): then the select keeps its place in view, and the
  // status line says what the choice found.
  function reveal(keyed) {
    var chosenCount = chosen().length;
    if (summary) {
      summary.textContent = summaryText + (chosenCount ? " (" + fill(say.chosen, { count: chosenCount }) + ")" : "");
    }
    if (results.hidden || keyed) return;
    var top = results.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.6 || top < 0) {
      var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      results.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    }
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    chosen().forEach(function (p) { params.set(p[0], p[1]); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (select) {
      var value = params.get(select.name) || "";
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      select.value = known ? value : "";
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(); }, 250);
  });
  var keyed = false;  // whether the last change of a select came from a key
  selects.forEach(function (select) {
    select.addEventListener("keydown", function () { keyed = true; });
    select.addEventListener("pointerdown", function () { keyed = false; });
    select.addEventListener("change", function () {
      var byKey = keyed;
      search().then(function () { reveal(byKey); });
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search().then(function () {
      if (!results.hidden) statusLine.focus();
    });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search().then(function () { reveal(false); }); input.focus(); }, 0);
  });
  more.addEventListener("click", function () {
    var next = current.shown;
    showMore().then(function () {
      var link = list.children[next] && list.children[next].querySelector("a");
      if (link) link.focus();
    });
  });
  statusLine.setAttribute("tabindex", "-1");
  readUrl();
  // Facets take a phone's whole screen: folded there unless some are in use,
  // and then opened with the results, which take the lists' place below them in
  // the same frame: nothing on the page moves.
  var narrow = document.getElementById("narrow");
  if (narrow && window.matchMedia("(min-width: 60rem)").matches) narrow.open = true;
  form.classList.add("ready");  // the filters open or fold as the visitor says now
  var inUse = chosen().length > 0;
  search().then(function () { if (narrow && inUse) narrow.open = true; });
})();

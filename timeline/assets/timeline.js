/* timeline page: hover cards and click-to-open for the chart, and the sortable,
   searchable event table, built from one JSON payload so the page carries each
   text once. Data is untrusted: hover text is escaped (Plotly renders some HTML),
   the table uses textContent, links must be http(s). No libraries besides Plotly. */
(function () {
  "use strict";
  if (window.timelineInit) return;  // several fragments on one page share this
  var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"};
  var LIMIT = 300, WIDTH = 70;
  // payload row / doc fields (see render.to_html)
  var WORDS = 0, TITLE = 1, KIND = 2, PHRASE = 3, SENTENCE = 4, DOC = 5, KEY = 6;
  var SOURCE = 0, DTITLE = 1, URL_ = 2, PUBWORDS = 3, PUBKEY = 4;

  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }

  function safeUrl(u) {
    if (!u) return null;
    try {
      var p = new URL(u);
      return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null;
    } catch (e) { return null; }
  }

  // truncate then wrap at word boundaries, like render._wrap
  function wrap(text) {
    text = String(text || "").split(/\s+/).join(" ").trim();
    if (text.length > LIMIT) text = text.slice(0, LIMIT - 1).replace(/\s+$/, "") + "\u2026";
    var lines = [], line = "";
    text.split(" ").forEach(function (w) {
      if (!w) return;
      if (line && line.length + 1 + w.length > WIDTH) { lines.push(line); line = ""; }
      while (w.length > WIDTH) { if (line) { lines.push(line); line = ""; } lines.push(w.slice(0, WIDTH)); w = w.slice(WIDTH); }
      line = line ? line + " " + w : w;
    });
    if (line) lines.push(line);
    return lines;
  }

  function sourceLine(d) {
    var src = d[SOURCE] || d[DTITLE] || "unknown source";
    return d[PUBWORDS] ? src + ", published " + d[PUBWORDS] : src;
  }

  // mirrors render._hover_event
  function hoverEvent(r, docs) {
    var lines = ["<b>" + esc(r[TITLE]) + "</b>", esc(r[WORDS] + (r[KIND] === "expected" ? " (expected)" : ""))];
    if (r[PHRASE]) lines.push("<i>\u201c" + esc(r[PHRASE]) + "\u201d</i>");
    wrap(r[SENTENCE]).forEach(function (l) { lines.push(esc(l)); });
    lines.push(esc(sourceLine(docs[r[DOC]])));
    return lines.join("<br>");
  }

  function hoverDoc(d) {
    return ["<b>" + esc(d[SOURCE] || "article") + "</b>", esc(d[DTITLE]), d[PUBWORDS] ? "published " + esc(d[PUBWORDS]) : ""]
      .filter(Boolean).join("<br>");
  }

  function plot(root, id, data) {
    var div = document.getElementById(id + "-plot");
    if (!window.Plotly) { div.textContent = "plotly.js is not loaded, so the chart cannot be drawn."; return; }
    var fig = data.figure, rows = data.rows, docs = data.docs;
    fig.data.forEach(function (t) {
      var role = t.meta && t.meta.role;
      // null customdata: the gap between WebGL range segments
      if (role === "events") t.hovertext = t.customdata.map(function (i) { return i == null ? null : hoverEvent(rows[i], docs); });
      else if (role === "pub") t.hovertext = t.customdata.map(function (i) { return hoverDoc(docs[i]); });
    });
    var config = {responsive: true, displaylogo: false, scrollZoom: false,
                  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
                  toImageButtonOptions: {filename: "timeline"}};
    return Plotly.newPlot(div, fig.data, fig.layout, config).then(function (gd) {
      // open the article; with no (safe) link, show the event's table row instead
      function open(doc, row) {
        var url = safeUrl(doc && doc[URL_]);
        if (url) { window.open(url, "_blank", "noopener,noreferrer"); return; }
        var tr = row != null && root.querySelector('.tl-table tr[data-row="' + Number(row) + '"]');
        if (tr) {
          tr.scrollIntoView({block: "center", behavior: "smooth"});
          tr.classList.add("tl-flash");
          setTimeout(function () { tr.classList.remove("tl-flash"); }, 1600);
        }
      }
      gd.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0], role = p && p.data.meta && p.data.meta.role;
        if (role === "events") open(docs[rows[p.customdata][DOC]], p.customdata);
        else if (role === "pub") open(docs[p.customdata], null);
      });
      gd.on("plotly_clickannotation", function (ev) {  // event labels are annotations "row<i>"
        var m = /^row(\d+)$/.exec((ev && ev.annotation && ev.annotation.name) || "");
        if (m && rows[+m[1]]) open(docs[rows[+m[1]][DOC]], +m[1]);
      });
      return gd;
    });
  }

  function cell(tr, text, title) {
    var td = document.createElement("td");
    td.textContent = text;
    if (title) td.title = title;
    tr.appendChild(td);
    return td;
  }

  var PAGE = 500;  // rows in the DOM at a time: a 50k-row table takes seconds to lay out

  function makeRow(r, i, docs) {
    var d = docs[r[DOC]] || [], tr = document.createElement("tr");
    cell(tr, r[WORDS]);
    var td = cell(tr, ""), url = safeUrl(d[URL_]);
    if (url) {
      var a = document.createElement("a");
      a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      a.textContent = r[TITLE];
      td.appendChild(a);
    } else td.textContent = r[TITLE];
    cell(tr, r[KIND]).className = "tl-kind-" + r[KIND];
    cell(tr, r[PHRASE]);
    cell(tr, r[SENTENCE]);
    cell(tr, d[SOURCE] || "", d[DTITLE] || "");
    cell(tr, d[PUBWORDS] || "");
    tr.dataset.row = i;
    return tr;
  }

  function table(root, data) {
    var tbody = root.querySelector(".tl-table tbody");
    if (!tbody) return;
    var rows = data.rows, docs = data.docs, trs = [];
    var items = rows.map(function (r, i) {
      var d = docs[r[DOC]] || [];
      return {
        i: i,
        // sort keys per column; "" sorts last whatever the direction
        keys: [r[KEY], String(r[TITLE]).toLowerCase(), r[KIND], String(r[PHRASE]).toLowerCase(),
               String(r[SENTENCE]).toLowerCase(), String(d[SOURCE] || "").toLowerCase(), d[PUBKEY] || ""],
        text: [r[WORDS], r[TITLE], r[KIND], r[PHRASE], r[SENTENCE], d[SOURCE], d[DTITLE], d[PUBWORDS]]
          .join("\u0001").toLowerCase()
      };
    });
    var input = root.querySelector(".tl-search"), count = root.querySelector(".tl-count");
    var more = root.querySelector(".tl-more"), shown = [], limit = PAGE;

    function render() {
      var f = document.createDocumentFragment();
      shown.slice(0, limit).forEach(function (it) {
        f.appendChild(trs[it.i] || (trs[it.i] = makeRow(rows[it.i], it.i, docs)));
      });
      tbody.replaceChildren(f);
      var n = Math.min(limit, shown.length);
      count.textContent = (n < shown.length ? "showing " + n + " of " : "") + shown.length +
        (shown.length < items.length ? " of " + items.length : "") + " events";
      more.hidden = n >= shown.length;
    }
    function filter() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      shown = items.filter(function (it) {
        return terms.every(function (t) { return it.text.indexOf(t) !== -1; });
      });
      limit = PAGE;
      render();
    }
    input.addEventListener("input", filter);
    more.addEventListener("click", function () { limit += PAGE; render(); });

    var ths = root.querySelectorAll(".tl-table th");
    Array.prototype.forEach.call(ths, function (th, col) {
      th.querySelector("button").addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        items.sort(function (a, b) {
          var x = a.keys[col], y = b.keys[col];
          if (x === y) return a.i - b.i;
          if (!x) return 1;
          if (!y) return -1;
          return (x < y ? -1 : 1) * dir;
        });
        filter();
      });
    });
    filter();
  }

  window.timelineInit = function (id) {
    var root = document.getElementById(id);
    var data = JSON.parse(document.getElementById(id + "-data").textContent);
    // chart first; the table (slow at 10k rows) after the chart has painted
    var drawn = data.figure ? plot(root, id, data) : null;
    var later = function () {  // after a frame, so the chart paints before the table lays out
      requestAnimationFrame(function () { setTimeout(function () { table(root, data); }, 0); });
    };
    if (drawn) drawn.then(later, later); else later();
  };
})();

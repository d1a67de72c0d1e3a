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

  function plot(root, id, data, rowsByIndex) {
    var div = document.getElementById(id + "-plot");
    if (!window.Plotly) { div.textContent = "plotly.js is not loaded, so the chart cannot be drawn."; return; }
    var fig = data.figure, rows = data.rows, docs = data.docs;
    fig.data.forEach(function (t) {
      var role = t.meta && t.meta.role;
      if (role === "events") t.hovertext = t.customdata.map(function (i) { return hoverEvent(rows[i], docs); });
      else if (role === "pub") t.hovertext = t.customdata.map(function (i) { return hoverDoc(docs[i]); });
    });
    var config = {responsive: true, displaylogo: false, scrollZoom: false,
                  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
                  toImageButtonOptions: {filename: "timeline"}};
    return Plotly.newPlot(div, fig.data, fig.layout, config).then(function (gd) {
      gd.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0];
        if (!p) return;
        var role = p.data.meta && p.data.meta.role, i = p.customdata, doc;
        if (role === "events") doc = docs[rows[i][DOC]];
        else if (role === "pub") doc = docs[i];
        else return;
        var url = safeUrl(doc && doc[URL_]);
        if (url) { window.open(url, "_blank", "noopener,noreferrer"); return; }
        var tr = role === "events" && rowsByIndex[i];  // no article link: show its table row
        if (tr && !tr.hidden) {
          tr.scrollIntoView({block: "center", behavior: "smooth"});
          tr.classList.add("tl-flash");
          setTimeout(function () { tr.classList.remove("tl-flash"); }, 1600);
        }
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

  function table(root, data) {
    var tbody = root.querySelector(".tl-table tbody");
    if (!tbody) return [];
    var rows = data.rows, docs = data.docs;
    var trs = rows.map(function (r, i) {
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
      // sort keys per column; "" sorts last whatever the direction
      tr._keys = [r[KEY], String(r[TITLE]).toLowerCase(), r[KIND], String(r[PHRASE]).toLowerCase(),
                  String(r[SENTENCE]).toLowerCase(), String(d[SOURCE] || "").toLowerCase(), d[PUBKEY] || ""];
      tr._text = [r[WORDS], r[TITLE], r[KIND], r[PHRASE], r[SENTENCE], d[SOURCE], d[DTITLE], d[PUBWORDS]]
        .join("\u0001").toLowerCase();
      return tr;
    });
    var frag = document.createDocumentFragment();
    trs.forEach(function (tr) { frag.appendChild(tr); });
    tbody.appendChild(frag);

    var input = root.querySelector(".tl-search"), count = root.querySelector(".tl-count");
    function filter() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      trs.forEach(function (tr) {
        var ok = terms.every(function (t) { return tr._text.indexOf(t) !== -1; });
        tr.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = terms.length ? shown + " of " + trs.length + " events" : trs.length + " events";
    }
    input.addEventListener("input", filter);
    filter();

    var ths = root.querySelectorAll(".tl-table th");
    Array.prototype.forEach.call(ths, function (th, col) {
      th.querySelector("button").addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var order = trs.map(function (tr, i) { return i; });
        order.sort(function (a, b) {
          var x = trs[a]._keys[col], y = trs[b]._keys[col];
          if (x === y) return a - b;
          if (!x) return 1;
          if (!y) return -1;
          return (x < y ? -1 : 1) * dir;
        });
        var f = document.createDocumentFragment();
        order.forEach(function (i) { f.appendChild(trs[i]); });
        tbody.appendChild(f);
      });
    });
    return trs;
  }

  window.timelineInit = function (id) {
    var root = document.getElementById(id);
    var data = JSON.parse(document.getElementById(id + "-data").textContent);
    var trs = table(root, data);
    if (data.figure) plot(root, id, data, trs);
  };
})();

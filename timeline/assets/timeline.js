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
  var WORDS = 0, TITLE = 1, KIND = 2, PHRASE = 3, SENTENCE = 4, DOC = 5, KEY = 6, NSRC = 7,
      SOURCES = 8, CONFLICT = 9;
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
    backing(r).forEach(function (l) { lines.push(esc(l)); });
    return lines.join("<br>");
  }

  // mirrors render._backing
  function backing(r) {
    var out = [], n = r[NSRC] || 1;
    if (n > 1) {
      var names = String(r[SOURCES] || "").split("; ").join(", ");
      if (names.length > 120) names = names.slice(0, 119).replace(/\s+$/, "") + "\u2026";
      out.push(names ? "reported by " + n + " sources: " + names : "reported by " + n + " sources");
    }
    if (r[CONFLICT]) out.push("the sources give dates that do not agree: this is the most specific date consistent with most of them");
    return out;
  }

  function hoverDoc(d) {
    return ["<b>" + esc(d[SOURCE] || "article") + "</b>", esc(d[DTITLE]), d[PUBWORDS] ? "published " + esc(d[PUBWORDS]) : ""]
      .filter(Boolean).join("<br>");
  }

  // a date-axis value as ms since the epoch (Plotly hands back "2022-10-03 12:00:00.5")
  function parseX(v) {
    if (typeof v === "number") return v;
    var s = String(v).trim().replace(" ", "T");
    if (/^\d{4}$/.test(s)) s += "-01-01";
    else if (/^\d{4}-\d{2}$/.test(s)) s += "-01";
    return Date.parse(s.length <= 10 ? s + "T00:00:00Z" : s + "Z");
  }

  // mirrors density.drill_note
  function drillNote(n, limit) {
    return n.toLocaleString("en-US") + " events in view: zoom in (drag across the chart or the slider below) to " +
      limit.toLocaleString("en-US") + " or fewer to see them one by one";
  }

  // first-fit packing of events (ids, in start order) into at most `cap` rows;
  // past that an event shares the row that frees up first
  function pack(ids, cap, bounds) {
    var free = [], rows = [];
    ids.forEach(function (i) {
      var lh = bounds(i), k = -1;
      for (var r = 0; r < free.length; r++) if (free[r] <= lh[0]) { k = r; break; }
      if (k < 0 && free.length < cap) k = free.length;
      if (k < 0) k = free.indexOf(Math.min.apply(null, free));
      free[k] = lh[1];
      rows.push(k);
    });
    return {rows: rows, used: free.length};
  }

  // Density view: fill the detail panel with the events of the visible range once
  // there are few enough; per lane, spans on rows of their own above the day
  // markers so long bars never hide them (see timeline/density.py).
  function drill(gd, data) {
    var D = data.drill, rows = data.rows, docs = data.docs, MIN = 60000;
    var traces = [];  // per lane: [lines trace index, markers trace index]
    gd.data.forEach(function (t, i) {
      if (t.meta && t.meta.detail) (traces[t.meta.lane] = traces[t.meta.lane] || []).push(i);
    });
    var note = -1;
    (gd.layout.annotations || []).forEach(function (a, i) { if (a.name === "tl-drill") note = i; });
    var card = function (i) { return i == null ? null : hoverEvent(rows[i], docs); };

    function update() {
      var r = gd._fullLayout.xaxis.range, a = parseX(r[0]) / MIN, b = parseX(r[1]) / MIN;
      var sel = [];
      for (var i = 0; i < D.start.length; i++) if (D.end[i] > a && D.start[i] < b) sel.push(i);
      var show = sel.length <= D.max, half = (b - a) / 250;  // a marker's room: ~4px a side
      var lanes = traces.map(function () { return {spans: [], points: []}; });
      if (show) sel.forEach(function (i) {  // the arrays are in start order (render._frame)
        lanes[D.lane[i]][D.end[i] - D.start[i] <= 1440 ? "points" : "spans"].push(i);
      });
      var cap = Math.max(2, Math.floor(D.rows / traces.length)), y0 = 0;
      var upd = {x: [], y: [], customdata: [], hovertext: []}, which = [], ticks = [], seps = [];
      traces.forEach(function (t, lane) {
        var L = lanes[lane], first = y0;
        var sp = pack(L.spans, Math.max(1, Math.ceil(cap / 3)), function (i) { return [D.start[i], D.end[i] + half]; });
        var pt = pack(L.points, Math.max(1, cap - sp.used), function (i) {
          var m = (D.start[i] + D.end[i]) / 2; return [m - half, m + half];
        });
        var lx = [], ly = [], lc = [], mx = [], my = [], mc = [];
        L.spans.forEach(function (i, n) {
          var y = y0 + sp.rows[n];
          lx.push(D.start[i] * MIN, D.end[i] * MIN, null); ly.push(y, y, null);
          lc.push(D.row[i], D.row[i], null);
        });
        L.points.forEach(function (i, n) {
          mx.push((D.start[i] + D.end[i]) / 2 * MIN); my.push(y0 + sp.used + pt.rows[n]);
          mc.push(D.row[i]);
        });
        y0 += Math.max(1, sp.used + pt.used);
        ticks.push((first + y0 - 1) / 2);
        if (lane) seps.push(first - 1);
        y0 += 1;  // a spacer row between lanes
        [[lx, ly, lc], [mx, my, mc]].forEach(function (q, j) {
          upd.x.push(q[0]); upd.y.push(q[1]); upd.customdata.push(q[2]);
          upd.hovertext.push(q[2].map(card)); which.push(t[j]);
        });
      });
      var rowPx = gd._fullLayout.yaxis2._length / Math.max(1, y0 - 0.8);
      upd["marker.size"] = which.map(function () { return Math.max(4, Math.min(9, 0.8 * rowPx)); });
      upd["line.width"] = which.map(function () { return Math.max(2, Math.min(6, 0.6 * rowPx)); });
      var lay = {"yaxis2.range": [y0 - 1.5, -0.7], "yaxis2.tickvals": ticks, "yaxis2.ticktext": D.names,
                 shapes: seps.map(function (y) {
                   return {type: "line", xref: "paper", x0: 0, x1: 1, yref: "y2", y0: y, y1: y,
                           line: {color: "#ddd", width: 1}};
                 })};
      if (note >= 0) {
        lay["annotations[" + note + "].visible"] = !show;
        lay["annotations[" + note + "].text"] = drillNote(sel.length, D.max);
      }
      gd.dataset.drilled = show ? String(sel.length) : "";
      return Plotly.update(gd, upd, lay, which);
    }
    gd.on("plotly_relayout", function (ev) {
      if (Object.keys(ev || {}).some(function (k) { return k.indexOf("xaxis.range") === 0 || k === "xaxis.autorange"; }))
        update();
    });
    return update();
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
      return data.drill ? drill(gd, data).then(function () { return gd; }) : gd;
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
    var more = (r[NSRC] || 1) > 1 ? " +" + (r[NSRC] - 1) : "";
    cell(tr, (d[SOURCE] || "") + more, (r[NSRC] || 1) > 1 ? String(r[SOURCES] || "") : (d[DTITLE] || ""));
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
        text: [r[WORDS], r[TITLE], r[KIND], r[PHRASE], r[SENTENCE], d[SOURCE], d[DTITLE], d[PUBWORDS], r[SOURCES]]
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

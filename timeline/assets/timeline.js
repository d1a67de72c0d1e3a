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
      SOURCES = 8, CONFLICT = 9, ROLE = 10, ATTRIBUTION = 11;
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
    text = short(text, LIMIT);
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
    var src = d[SOURCE] || "unknown outlet";
    return d[PUBWORDS] ? src + ", published " + d[PUBWORDS] : src;
  }

  // mirrors render._provenance
  function provenance(r) {
    return [r[ROLE] ? "role: " + r[ROLE] : "", r[ATTRIBUTION] ? "attributed to " + short(r[ATTRIBUTION], 80) : ""]
      .filter(Boolean).join(" \u00b7 ");
  }

  // mirrors render._hover_event
  function hoverEvent(r, docs) {
    var lines = ["<b>" + esc(r[TITLE]) + "</b>", esc(r[WORDS] + (r[KIND] === "expected" ? " (expected)" : ""))];
    if (r[PHRASE]) lines.push("<i>\u201c" + esc(r[PHRASE]) + "\u201d</i>");
    wrap(r[SENTENCE]).forEach(function (l) { lines.push(esc(l)); });
    lines.push(esc(sourceLine(docs[r[DOC]])));
    if (provenance(r)) lines.push(esc(provenance(r)));
    backing(r).forEach(function (l) { lines.push(esc(l)); });
    return lines.join("<br>");
  }

  // mirrors render._backing
  function backing(r) {
    var out = [], n = r[NSRC] || 1;
    if (n > 1) {
      var names = String(r[SOURCES] || "").split("; ").join(", ");
      names = short(names, 120);
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
  function drillNote(n, limit, narrow) {
    return n.toLocaleString("en-US") + " events in view: zoom in " +
      (narrow ? "" : "(drag across the chart or the slider below) ") + "to " +
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
        lay["annotations[" + note + "].text"] = drillNote(sel.length, D.max, gd._fullLayout.xaxis._length < 800);
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

  // ---------------------------------------------------------------- labels and rows
  // Mirrors timeline/labels.py (the rule is documented there and in the README):
  // events in view, most important first, each on the first row of its lane where
  // mark and label fit; rerun on every zoom, pan and resize.
  var NONE = 0, RIGHT = 1, LEFT = 2, INSIDE = 3, ROW_MAX = 36;
  var measure = (function () {
    var ctx = null, cache = {};
    var DEC = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"', "&#39;": "'"};
    return function (html, font) {
      var k = font + "\u0001" + html;
      if (cache[k] == null) {
        if (!ctx) ctx = document.createElement("canvas").getContext("2d");
        ctx.font = font;
        cache[k] = ctx.measureText(html.replace(/&(amp|lt|gt|#34|#39);/g, function (e) { return DEC[e]; })).width;
      }
      return cache[k];
    };
  })();

  function Row() { this.lo = []; this.hi = []; this.n = 0; this.labels = null; }
  Row.prototype.at = function (b) {  // intervals before the returned index start left of b
    var l = 0, h = this.lo.length;
    while (l < h) { var m = (l + h) >> 1; if (this.lo[m] < b) l = m + 1; else h = m; }
    return l;
  };
  Row.prototype.free = function (a, b) { var i = this.at(b); return i === 0 || this.hi[i - 1] <= a; };
  Row.prototype.take = function (a, b) { var i = this.at(b); this.lo.splice(i, 0, a); this.hi.splice(i, 0, b); };

  // mirrors labels.place
  // widthOf(i): the label's width, asked only while labels are still being placed
  function place(x0, x1, widthOf, bands, order, nBands, width, cap, maxLabels, gap) {
    var perBand = Math.max(1, Math.floor(cap / Math.max(1, nBands))), rows = [], rowOf = {}, sideOf = {}, labelled = 0, forced = 0;
    for (var g = 0; g < nBands; g++) { rows.push([]); for (var k = 0; k < perBand; k++) rows[g].push(new Row()); }
    order.forEach(function (i) {
      var a = x0[i], b = x1[i], lane = rows[bands[i]], w = labelled < maxLabels ? widthOf(i) : 0;
      var va = Math.max(a, 0), vb = Math.min(b, width), boxes = [], chosen = null, r, j;
      if (w > 0 && labelled < maxLabels) {
        if (vb - va >= w + 2 * gap && b - a > 2 * gap + 12) boxes.push([INSIDE, a, b]);
        if (vb + gap + w <= width) boxes.push([RIGHT, a, vb + gap + w]);
        if (va - gap - w >= 0) boxes.push([LEFT, va - gap - w, b]);
      }
      for (r = 0; r < lane.length && !chosen; r++)
        for (j = 0; j < boxes.length; j++)
          if (lane[r].free(boxes[j][1], boxes[j][2])) { chosen = [r, boxes[j][0], boxes[j][1], boxes[j][2]]; break; }
      for (r = 0; r < lane.length && !chosen; r++) if (lane[r].free(a, b)) chosen = [r, NONE, a, b];
      if (!chosen) {  // no room: on marks but off labels if it can, else the emptiest row
        var best = -1;
        for (r = 0; r < lane.length && best < 0; r++) if (!lane[r].labels || lane[r].labels.free(a, b)) best = r;
        if (best < 0) { best = 0; for (r = 1; r < lane.length; r++) if (lane[r].n < lane[best].n) best = r; }
        lane[best].n += 1; rowOf[i] = best; sideOf[i] = NONE; forced += 1;
        return;
      }
      var row = lane[chosen[0]];
      row.take(chosen[2], chosen[3]);
      row.n += 1;
      if (chosen[1] !== NONE) {
        labelled += 1;
        (row.labels = row.labels || new Row()).take(chosen[2], chosen[3]);
      }
      rowOf[i] = chosen[0]; sideOf[i] = chosen[1];
    });
    var used = rows.map(function (lane) {
      var u = 1;
      lane.forEach(function (row, k) { if (row.n) u = Math.max(u, k + 1); });
      return u;
    });
    return {row: rowOf, side: sideOf, used: used, forced: forced, labelled: labelled};
  }

  // mirrors render._hidden_note
  function hiddenNote(n, narrow) {
    if (!n) return "";
    return narrow ? n + " outside this view" : n + " event" + (n !== 1 ? "s" : "") + " outside this view: press \u201call\u201d";
  }

  // mirrors render._short
  function short(text, limit) {
    text = String(text || "");
    if (text.length <= limit) return text;
    var cut = text.slice(0, limit - 1), sp = cut.lastIndexOf(" ");
    return (sp >= Math.floor(limit / 2) ? cut.slice(0, sp) : cut).replace(/\s+$/, "") + "\u2026";
  }

  // Rows, labels and the y axis for the x range [a, b] (ms) on a plot w x h px; when
  // marks would have to overlap, up to hMax px tall (A.h: the plot height it needs).
  function arrange(M, fig, docs, a, b, w, h, hMax) {
    var n = M.row.length, per = (b - a) / w, r = M.marker / 2 + 1;
    var x0 = new Array(n), x1 = new Array(n), widths = {}, seen = [], rest = [];
    var font = "11px " + ((fig.layout.font && fig.layout.font.family) || "sans-serif");
    for (var i = 0; i < n; i++) {
      var s = (M.start[i] - a) / per, e = (M.end[i] - a) / per, x = (M.x[i] - a) / per;
      x0[i] = M.point[i] ? x - r : s; x1[i] = M.point[i] ? x + r : e;
      var inView = e > 0.5 && s < w - 0.5;  // half a pixel at least: not a mark at the very edge
      (inView ? seen : rest).push(i);
    }
    var widthOf = function (i) {
      if (!(i in widths)) widths[i] = M.label[i] ? measure(M.label[i], font) + 2 * M.pad : 0;
      return widths[i];
    };
    var nb = M.bands ? M.bands.length : 1, band = M.band;
    var cap = Math.max(nb, Math.floor(h / M.rowMin - 2.6));
    var p = place(x0, x1, widthOf, band, seen, nb, w, cap, M.maxLabels, M.gap), need = h;
    var few = p.forced && p.forced <= 0.1 * seen.length;  // a crowded chart overlaps anyway
    if (few && hMax > h) {  // a taller plot rather than marks on top of labels
      var big = place(x0, x1, widthOf, band, seen, nb, w, Math.floor(hMax / M.rowMin - 2.6), M.maxLabels, M.gap);
      var rowsBig = big.used.reduce(function (s, u) { return s + u; }, 0) + (M.bands ? nb - 1 : 0);
      need = Math.min(hMax, (rowsBig + 2.6) * M.rowMin);
      if (need > h) { p = place(x0, x1, widthOf, band, seen, nb, w, Math.floor(need / M.rowMin - 2.6), M.maxLabels, M.gap); h = need; }
    }
    cap = Math.max(nb, Math.floor(h / M.rowMin - 2.6));
    // a few marks left without room: fewer labels (the least important go) until they fit
    for (var tries = 0; tries < 4 && few && p.forced; tries++)
      p = place(x0, x1, widthOf, band, seen, nb, w, cap, Math.floor(p.labelled * 0.8), M.gap);
    var q = place(x0, x1, function () { return 0; }, band, rest, nb, w, cap, 0, M.gap);
    var first = [], off = 0;
    p.used.forEach(function (u) { first.push(off); off += u + (M.bands ? 1 : 0); });
    var lanes = off - (M.bands ? 1 : 0), y = {};
    for (i = 0; i < n; i++) {
      var k = i in p.row ? p.row[i] : q.row[i];
      y[M.row[i]] = first[band[i]] + Math.min(k, p.used[band[i]] - 1);
    }
    var total = Math.max(lanes + 2.6, h / ROW_MAX), pubY = total - 2 + 0.6;
    var notes = [];
    seen.forEach(function (i) {
      var side = p.side[i];
      if (!side) return;
      var inside = side === INSIDE, light = inside && M.light[i], ann = {
        y: y[M.row[i]], xref: "x", yref: "y", text: M.label[i], showarrow: false,
        name: "row" + M.row[i], captureevents: true, font: {size: 11, color: light ? "white" : "#222"}};
      // hatched / pale bars, or a crowd of marks: a backing keeps the label legible
      if ((inside && !light) || (p.forced && !inside)) ann.bgcolor = "rgba(255,255,255,0.85)";
      // inside a bar: at its visible start (Plotly hides annotations anchored off the axis)
      if (inside) { ann.x = Math.max(M.start[i], a); ann.xanchor = "left"; ann.xshift = M.gap + 1; }
      else if (side === RIGHT) { ann.x = M.point[i] ? M.x[i] : M.end[i]; ann.xanchor = "left"; ann.xshift = M.point[i] ? r + M.gap : M.gap; }
      else { ann.x = M.point[i] ? M.x[i] : M.start[i]; ann.xanchor = "right"; ann.xshift = M.point[i] ? -r - M.gap : -M.gap; }
      notes.push(ann);
    });
    return {y: y, notes: notes, hidden: rest.length, lanes: lanes, first: first, used: p.used,
            pubY: pubY, h: h};
  }

  // outlet names under the publication marks, two lines, where they have room (render._pub_trace)
  function pubText(t, docs, a, b, w, chars) {
    var per = (b - a) / w, free = [-Infinity, -Infinity], text = t.customdata.map(function () { return ""; });
    var order = t.customdata.map(function (d, j) { return j; });
    var xs = t.x.map(parseX);
    order.sort(function (i, j) { return xs[i] - xs[j]; });
    order.forEach(function (j) {
      var d = docs[t.customdata[j]], name = short(d[SOURCE] || d[DTITLE], chars);
      if (!name || xs[j] < a || xs[j] > b) return;
      var at = (xs[j] - a) / per, half = measure(esc(name), "10px sans-serif") / 2 + 4;
      if (at - half < 0 || at + half > w) return;  // never cut at the plot's edges
      for (var level = 0; level < 2; level++) if (at - half >= free[level]) {
        text[j] = (level ? "<br>" : "") + esc(name); free[level] = at + half; break;
      }
    });
    return text;
  }

  // Apply `arrange` to the figure: per trace y, annotations, axis. `gd` may be the
  // plain figure (before newPlot: returns the changed copy) or the live plot.
  function relayoutMarks(gd, data, live) {
    var M = data.marks, fig = live ? {data: gd.data, layout: gd.layout} : data.figure, L = fig.layout;
    // the plot's height from the figure's, the same before and after drawing (so a
    // drawn plot of the size arranged for is left alone): less axis, slider and top
    // margin (which grows when the legend wraps)
    var w, range, FL = live ? gd._fullLayout : L;
    if (live) {
      w = FL.xaxis._length;
      range = FL.xaxis.range.map(parseX);
    } else {
      var div = document.getElementById(data.id + "-plot");
      w = Math.max(200, div.clientWidth - L.margin.l - L.margin.r);
      range = L.xaxis.range.map(parseX);
    }
    var other = M.chrome + (FL.margin.t - M.top), h = FL.height - other;
    // grow up to most of the window, never shrink (no jumps)
    // the same width, rows and range as last time: nothing would move
    var key = [Math.round(w), Math.floor(h / M.rowMin - 2.6), range[0], range[1]].join();
    var done = function () {  // for tests and embedders: a pass has finished
      gd.dataset.labelled = String(data.labelled);
      gd.dataset.arranged = String(+(gd.dataset.arranged || 0) + 1);
    };
    if (live && key === data.arrangedFor) return Promise.resolve().then(done);  // nothing would move
    data.arrangedFor = key;
    if (!data.hMax) data.hMax = Math.max(h, 0.85 * window.innerHeight - other, 480);
    var A = arrange(M, fig, data.docs, range[0], range[1], w, h, data.hMax);
    data.labelled = A.notes.length;
    var ys = [], which = [], texts = null, pubIndex = -1;
    fig.data.forEach(function (t, ti) {
      var role = t.meta && t.meta.role;
      if (role === "events") {
        ys.push(Array.prototype.map.call(t.customdata, function (c) { return c == null ? null : A.y[c]; }));
        which.push(ti);
      } else if (role === "pub") {
        pubIndex = ti;
        ys.push(t.customdata.map(function () { return A.pubY; })); which.push(ti);
        texts = pubText(t, data.docs, range[0], range[1], w, M.pubChars);
      }
    });
    var ticks = [], labels = [];
    if (M.bands) M.bands.forEach(function (name, g) { ticks.push(A.first[g] + (A.used[g] - 1) / 2); labels.push(name); });
    ticks.push(A.pubY); labels.push("published");
    var keep = (L.annotations || []).filter(function (an) { return !/^row\d+$/.test(an.name || ""); });
    keep.forEach(function (an) {
      if (an.name === "tl-hidden") { an.text = hiddenNote(A.hidden, w < 420); an.visible = A.hidden > 0; }
    });
    var shapes = (L.shapes || []).filter(function (s) { return s.yref !== "y"; });
    if (M.bands) A.first.slice(1).forEach(function (f) {
      shapes.push({type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: f - 1, y1: f - 1, line: {color: "#ddd", width: 1}});
    });
    // restyling y makes Plotly guess the axis types again unless told, and a type
    // (re)set resets the range: types first, ranges after
    var lay = {"xaxis.type": "date", "yaxis.type": "linear", annotations: A.notes.concat(keep), shapes: shapes,
               "yaxis.range": [A.pubY + M.pubRows, -0.7], "yaxis.tickvals": ticks, "yaxis.ticktext": labels};
    var height = A.h > h + 1 ? Math.ceil(A.h + other) : null;
    if (height) lay.height = height;
    if (!live) {
      if (height) L.height = height;
      which.forEach(function (ti, k) { fig.data[ti].y = ys[k]; });
      if (texts) fig.data[pubIndex].text = texts;
      L.annotations = lay.annotations; L.shapes = shapes;
      L.yaxis.range = lay["yaxis.range"]; L.yaxis.tickvals = ticks; L.yaxis.ticktext = labels;
      return null;
    }
    lay["xaxis.range"] = gd._fullLayout.xaxis.range.slice();  // a type change would reset it
    var upd = {y: ys};  // text: only the publication marks have any
    if (texts) upd.text = which.map(function (ti) { return ti === pubIndex ? texts : null; });
    return Plotly.update(gd, upd, lay, which).then(done);
  }

  // a wrapped legend (narrow pages) pushes the range buttons and plot down, never onto them
  function fitLegend(gd) {
    var leg = gd._fullLayout.legend, m = gd._fullLayout.margin;
    var need = (leg && leg._height ? leg._height : 0) + 30;  // the buttons' line under it
    var base = +(gd.dataset.top || (gd.dataset.top = String(m.t)));
    var want = Math.max(base, need + 8);
    return want !== m.t ? Plotly.relayout(gd, {"margin.t": want}) : Promise.resolve();
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
    data.id = id;
    if (data.marks) relayoutMarks(null, data, false);  // rows and labels for this width
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
      var busy = false, again = false;
      function rearrange() {  // one at a time; the last request wins
        if (busy) { again = true; return; }
        busy = true;
        Promise.resolve(fitLegend(gd)).then(function () { return data.marks ? relayoutMarks(gd, data, true) : null; })
          .then(function () { busy = false; if (again) { again = false; rearrange(); } },
                function () { busy = false; });
      }
      gd.on("plotly_relayout", function (ev) {
        if (Object.keys(ev || {}).some(function (k) {
          return k.indexOf("xaxis.range") === 0 || k === "xaxis.autorange" || k === "autosize" || k === "width";
        })) rearrange();
      });
      var timer = null;
      window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(rearrange, 150); });
      var ready = data.marks ? fitLegend(gd).then(function () { return relayoutMarks(gd, data, true); }) : fitLegend(gd);
      return ready.then(function () {
        return data.drill ? drill(gd, data).then(function () { return gd; }) : gd;
      });
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
    cell(tr, r[ROLE] || "");
    cell(tr, r[PHRASE]);
    cell(tr, r[SENTENCE]);
    cell(tr, r[ATTRIBUTION] || "");
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
        keys: [r[KEY], String(r[TITLE]).toLowerCase(), r[KIND], r[ROLE] || "", String(r[PHRASE]).toLowerCase(),
               String(r[SENTENCE]).toLowerCase(), String(r[ATTRIBUTION] || "").toLowerCase(),
               String(d[SOURCE] || "").toLowerCase(), d[PUBKEY] || ""],
        text: [r[WORDS], r[TITLE], r[KIND], r[PHRASE], r[SENTENCE], d[SOURCE], d[DTITLE], d[PUBWORDS], r[SOURCES],
               r[ROLE], r[ATTRIBUTION]]
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

// Replace each chart's static SVG with the interactive chart once the local Vega bundle is
// loaded. The spec sits in a JSON <script> beside the container; nothing loads off-site.
//
// Specs are written for a 640 px column; a phone gives ~340 px. Before embedding, a copy of the
// spec is fitted to the container's width (narrower views, stacked panels, fewer legend columns,
// re-wrapped title and footer) rather than scaled as a picture, so text keeps its size. The
// drawn width is then measured and the fit tightened until it fits.
(function () {
  "use strict";
  // Export helps readers; the source and editor actions would link off-site.
  var OPTIONS = {
    actions: { export: true, source: false, compiled: false, editor: false },
    renderer: "svg",
  };
  var MIN_VIEW = 140; // a plot narrower than this is no longer readable
  var CHROME = 60; // first guess at what axes and labels add beside a view
  var GLYPH = 0.6; // a conservative average glyph width, in ems, for wrapping text
  var LEGEND_COLUMN = 170; // room for one legend entry (symbol and label)
  var MENU = 36; // the action menu's button sits over the title's end
  var PASSES = 8; // fit, measure, tighten: enough for every chart in the book
  var RESIZE_MS = 250;
  var HINT = "Interactive chart: the arrow keys step through its values, Escape hides them.";

  function wrap(text, chars) {
    var words = [].concat(text).join(" ").split(/\s+/).filter(Boolean);
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > chars) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines.length ? lines : [""];
  }

  function charsIn(px, fontSize) {
    return Math.max(12, Math.floor(px / (fontSize * GLYPH)));
  }

  // Widths of the panels of an hconcat as written (a panel without one counts as the default).
  function ownWidth(node) {
    if (typeof node.width === "number") return node.width;
    var kids = node.hconcat || node.vconcat || node.layer || node.concat;
    if (kids) {
      var widths = kids.map(ownWidth);
      return node.hconcat ? widths.reduce(function (a, b) { return a + b; }, 0) : Math.max.apply(null, widths);
    }
    if (node.spec) return ownWidth(node.spec);
    return 300;
  }

  // Walk the spec; `room` is the width the node may fill, `cut` the overhang measured so far.
  function fitNode(node, room, cut, fontOf, top, layerWidth) {
    if (!node || typeof node !== "object") return;
    if (node.hconcat) {
      var n = node.hconcat.length;
      var spacing = node.spacing == null ? 20 : node.spacing;
      var widest = Math.max.apply(null, node.hconcat.map(ownWidth));
      if (sideBySide(room, n, spacing, widest)) {
        node.hconcat.forEach(function (kid) { fitNode(kid, (room - (n - 1) * spacing) / n, cut / n, fontOf, top); });
        return;
      }
      // Side by side they would be too narrow: stack them.
      node.vconcat = node.hconcat;
      delete node.hconcat;
    }
    if (node.facet && node.spec && node.facet.column) {
      var sort = node.facet.column.sort;
      var panels = Array.isArray(sort) ? sort.length : 2;
      var gap = node.spacing == null ? 20 : node.spacing;
      if (sideBySide(room, panels, gap, ownWidth(node.spec))) {
        fitNode(node.spec, (room - (panels - 1) * gap) / panels, cut / panels, fontOf, top);
        return;
      }
      // A row of facet panels becomes a wrapped facet, one panel a line.
      node.facet = node.facet.column;
      node.columns = 1;
    }
    if (typeof node.width === "number") {
      var was = node.width;
      node.width = Math.max(MIN_VIEW, Math.min(was, room - CHROME) - cut);
      // Diagrams drawn square (networks) keep their shape.
      if (node.height === was) node.height = node.width;
    }
    fitEncoding(node.encoding, room, cut);
    var viewWidth = typeof node.width === "number" ? node.width : layerWidth;
    wrapLabels(node, "x", fontOf, viewWidth);
    wrapAxisTitle(node, viewWidth);
    wrapLabels(node, "y", fontOf, viewWidth);
    // A panel's own title (the chart's is fitted in fitTitle) wraps to the panel's width.
    if (node !== top && typeof node.title === "string" && typeof node.width === "number") {
      node.title = wrap(node.title, charsIn(node.width + CHROME / 2, fontOf.title));
    }
    fitFooter(node, room, cut, fontOf);
    ["vconcat", "layer", "concat"].forEach(function (key) {
      (node[key] || []).forEach(function (kid) {
        fitNode(kid, room, cut, fontOf, top, key === "layer" ? viewWidth : undefined);
      });
    });
    if (node.spec) fitNode(node.spec, room, cut, fontOf, top);
  }

  // Panels stay side by side while each keeps most of its written width.
  function sideBySide(room, n, spacing, widest) {
    var each = (room - (n - 1) * spacing) / n - CHROME;
    return each >= Math.max(MIN_VIEW, 0.6 * widest);
  }

  // Category labels that would be cut short are wrapped onto up to three lines instead, through
  // a lookup from each category (known from the axis's sort order) to its lines.
  var LABEL_LINES = 3;
  var LABEL_LINE_PX = 13;
  function wrapLabels(node, channel, fontOf, width) {
    var def = node.encoding && node.encoding[channel];
    if (!def || !Array.isArray(def.sort) || (def.type !== "nominal" && def.type !== "ordinal")) return;
    if (def.axis === null || typeof width !== "number") return;
    var names = def.sort.filter(function (name) { return typeof name === "string"; });
    if (!names.length) return;
    var axis = (def.axis = def.axis || {});
    var px = channel === "x" ? width / names.length - 4 : Math.min(axis.labelLimit || 180, fontOf.labelLimit);
    var chars = Math.max(6, Math.floor(px / (fontOf.label * 0.55)));
    var lines = {};
    var most = 1;
    names.forEach(function (name) {
      var wrapped = wrap(name, chars);
      if (wrapped.length > LABEL_LINES) {
        wrapped = wrapped.slice(0, LABEL_LINES);
        wrapped[LABEL_LINES - 1] += "\u2026";
      }
      lines[name] = wrapped;
      most = Math.max(most, wrapped.length);
    });
    if (most === 1) return;
    axis.labelExpr = "(" + JSON.stringify(lines) + ")[datum.label] || datum.label";
    axis.labelLimit = Math.ceil(px) + 8;
    axis.labelLineHeight = LABEL_LINE_PX;
    if (channel === "x") {
      axis.labelAngle = 0;
    } else if (typeof node.height === "number") {
      // Each band must hold its lines.
      node.height = Math.max(node.height, names.length * (most * LABEL_LINE_PX + 6));
    }
  }

  // An x-axis title is centred under its plot: longer than the plot, it would overhang both ends.
  function wrapAxisTitle(node, width) {
    var def = node.encoding && node.encoding.x;
    if (!def || typeof def.title !== "string" || typeof width !== "number") return;
    var lines = wrap(def.title, charsIn(width, 12));
    if (lines.length > 1) def.title = lines;
  }

  function fitLegend(legend, room) {
    if (!legend) return;
    // The legend starts where the plot does, after the y-axis labels.
    room -= CHROME;
    var columns = Math.max(1, Math.floor(room / LEGEND_COLUMN));
    if (legend.columns == null || legend.columns > columns) legend.columns = columns;
    // labelLimit 0 means no limit: a label must still end inside its column.
    var limit = Math.floor(room / legend.columns) - 40;
    if (!legend.labelLimit || legend.labelLimit > limit) legend.labelLimit = limit;
  }

  function fitEncoding(encoding, room, cut) {
    if (!encoding) return;
    ["x", "y"].forEach(function (channel) {
      var axis = encoding[channel] && encoding[channel].axis;
      var most = Math.max(80, Math.floor(room * 0.45));
      if (axis && axis.labelLimit > most) axis.labelLimit = most;
    });
    ["color", "fill", "stroke", "shape", "size", "strokeDash", "opacity"].forEach(function (channel) {
      var def = encoding[channel];
      if (def && typeof def === "object" && def.field && def.legend !== null) {
        def.legend = def.legend || {};
        fitLegend(def.legend, room - cut);
      }
    });
  }

  // theme.finish writes the source line as a text mark whose text is a list of lines.
  function fitFooter(node, room, cut, fontOf) {
    var text = node.encoding && node.encoding.text;
    if (!text || !Array.isArray(text.value) || typeof node.width !== "number") return;
    var mark = typeof node.mark === "object" ? node.mark : {};
    var size = mark.fontSize || fontOf.text;
    // Views sit at their plot's left edge, after the y-axis labels of the chart above: the
    // text moves back by that much (measured on the first pass) to use the full width.
    // The view itself (which counts in the layout) ends where the text does.
    var textWidth = room - 20; // inside the chart's padding, with a little to spare
    node.width = Math.max(MIN_VIEW, textWidth - fontOf.shift);
    node.encoding.x = { value: -fontOf.shift };
    var lines = wrap(text.value, charsIn(textWidth, size));
    text.value = lines;
    node.height = (mark.lineHeight || size * 1.3) * lines.length;
  }

  function fitTitle(spec, room) {
    var title = spec.title;
    if (!title) return;
    if (typeof title === "string" || Array.isArray(title)) title = spec.title = { text: title };
    var config = (spec.config && spec.config.title) || {};
    title.text = wrap(title.text, charsIn(room - MENU, config.fontSize || 13));
    if (title.subtitle) title.subtitle = wrap(title.subtitle, charsIn(room - MENU, config.subtitleFontSize || 11));
  }

  // A copy of the spec fitted to `room` px, tightened by `cut` px measured on an earlier pass.
  function fitSpec(spec, room, cut, shift) {
    var fitted = JSON.parse(JSON.stringify(spec));
    fitted.config = fitted.config || {};
    fitted.config.legend = fitted.config.legend || {};
    fitLegend(fitted.config.legend, room - cut);
    fitTitle(fitted, room);
    var config = fitted.config;
    var fonts = { text: 11, title: (config.title && config.title.fontSize) || 13, shift: shift };
    fonts.label = (config.axis && config.axis.labelFontSize) || 10;
    // Category labels may take up to 45% of a narrow chart; longer ones end in an ellipsis
    // (the tooltip has them whole).
    config.axis = config.axis || {};
    var labels = Math.max(80, Math.floor(room * 0.45));
    if (!config.axis.labelLimit || config.axis.labelLimit > labels) config.axis.labelLimit = labels;
    fonts.labelLimit = config.axis.labelLimit;
    // The last date on a time axis would hang past the chart's right edge.
    config.axisX = Object.assign({ labelFlush: true }, config.axisX);
    fitNode(fitted, room, cut, fonts, fitted);
    return fitted;
  }

  // Vega puts two legends at the bottom side by side, which can overrun the column: stack them.
  // Vega-Lite has no setting for this, so it goes into the compiled Vega spec.
  function stackLegends(room) {
    return function (vgSpec) {
      vgSpec.config = vgSpec.config || {};
      vgSpec.config.legend = vgSpec.config.legend || {};
      vgSpec.config.legend.layout = { bottom: { anchor: "start", direction: "vertical", margin: 6 } };
      return vgSpec;
    };
  }

  // The width the chart takes, counting marks drawn past the SVG's own edge (a last axis label
  // can hang outside it, where the column would clip it).
  function drawnWidth(live, box) {
    var svg = live.querySelector("svg");
    if (!svg) return 0;
    var rect = svg.getBoundingClientRect();
    var start = box ? Math.min(rect.left, box.getBoundingClientRect().left) : rect.left;
    var right = rect.right;
    Array.prototype.forEach.call(svg.children, function (child) {
      var r = child.getBoundingClientRect();
      if (r.width) right = Math.max(right, r.right);
    });
    return right - start;
  }

  // Tooltips for touch and keyboard, through the same handler the pointer uses (vega-tooltip).
  function tooltipItems(view) {
    var found = [];
    (function walk(node) {
      (node.items || []).forEach(function (item) {
        if (item.tooltip != null && item.tooltip !== "" && item._svg) found.push(item);
        if (item.items) walk(item);
      });
    })(view.scenegraph().root);
    return found;
  }

  function showTip(box, view, item, event) {
    var handler = view.tooltip();
    if (!handler) return;
    var rect = item._svg.getBoundingClientRect();
    var at = event || { clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2 };
    handler(view._handler, at, item, item.tooltip);
    var ring = box.querySelector(".alliance-chart-focus");
    var outer = box.getBoundingClientRect();
    ring.style.left = rect.left - outer.left - 3 + "px";
    ring.style.top = rect.top - outer.top - 3 + "px";
    ring.style.width = rect.width + 6 + "px";
    ring.style.height = rect.height + 6 + "px";
    ring.hidden = false;
    var tip = document.getElementById("vg-tooltip-element");
    box.querySelector(".alliance-chart-said").textContent = tip ? tip.innerText : "";
  }

  function hideTip(box, view) {
    var handler = view.tooltip();
    if (handler) handler(view._handler, { clientX: 0, clientY: 0 }, null, null);
    box.querySelector(".alliance-chart-focus").hidden = true;
  }

  function interact(box, live, view) {
    box._alliance = { view: view, at: -1 };
    if (box.dataset.interactive) return;
    box.dataset.interactive = "yes";
    var ring = document.createElement("div");
    ring.className = "alliance-chart-focus";
    ring.hidden = true;
    ring.setAttribute("aria-hidden", "true");
    var said = document.createElement("div");
    said.className = "alliance-chart-said";
    said.setAttribute("aria-live", "polite");
    box.appendChild(ring);
    box.appendChild(said);
    live.setAttribute("tabindex", "0");
    live.setAttribute("role", "group");
    live.setAttribute("aria-label", HINT);
    live.addEventListener("keydown", function (e) {
      var state = box._alliance;
      var items = tooltipItems(state.view);
      if (!items.length) return;
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      if (e.key === "Escape") {
        hideTip(box, state.view);
        return;
      }
      if (step) state.at = (state.at + step + items.length) % items.length;
      else if (e.key === "Home") state.at = 0;
      else if (e.key === "End") state.at = items.length - 1;
      else return;
      e.preventDefault();
      showTip(box, state.view, items[state.at]);
    });
    live.addEventListener("blur", function () { hideTip(box, box._alliance.view); });
    // A tap ends with pointerout, which hides the tooltip the tap opened: reopen it on click.
    live.addEventListener("click", function (e) {
      var item = e.target && e.target.__data__;
      if (item && item.tooltip != null && item.tooltip !== "" && item._svg) showTip(box, box._alliance.view, item, e);
    });
    // A tap outside every chart closes the tooltip (a tap on another chart opens its own).
    document.addEventListener("click", function (e) {
      if (!(e.target.closest && e.target.closest(".alliance-chart-live"))) hideTip(box, box._alliance.view);
    });
  }

  function embed(box, live, spec) {
    // The live element shrinks to its chart (vega-embed makes it inline-block): measure the box.
    var room = Math.floor(box.clientWidth);
    box.dataset.fittedTo = room;
    var pass = 0;
    var cut = 0;
    var shift = 0;
    function attempt() {
      if (box._alliance) box._alliance.view.finalize();
      var options = Object.assign({}, OPTIONS, { patch: stackLegends(room) });
      return window.vegaEmbed(live, fitSpec(spec, room, cut, shift), options).then(function (result) {
        var over = drawnWidth(live, box) - room;
        // How far the plots start from the chart's left edge (the footer moves back by it).
        var left = Math.max(0, result.view.origin()[0] - result.view.padding().left);
        pass += 1;
        box._alliance = { view: result.view, at: -1 };
        // Done when it fits and the footer starts no later than the chart's left edge.
        if (pass >= PASSES || (over <= 0.5 && left - shift <= 1)) return result;
        // The first overhang may be the footer's alone; later ones are the chart's.
        if (over > 0.5 && pass > 1) cut += Math.ceil(over) + 4; // centred parts shrink by halves
        shift = left;
        return attempt();
      });
    }
    // Vega measures text when it lays a chart out: wait for the chart face (served by the site).
    var faces = document.fonts && document.fonts.load
      ? Promise.all([document.fonts.load('11px "Alliance Sans"'), document.fonts.load('bold 11px "Alliance Sans"')])
          .catch(function () { return null; })
      : Promise.resolve();
    return faces.then(attempt).then(function (result) {
      interact(box, live, result.view);
      return result;
    });
  }

  function embedOne(node) {
    var box = document.getElementById(node.dataset.chart);
    if (!box || box.dataset.embedded) return;
    box.dataset.embedded = "pending";
    var live = box.querySelector(".alliance-chart-live");
    var spec = JSON.parse(node.textContent);
    var still = box.querySelector(".alliance-chart-static");
    embed(box, live, spec)
      .then(function () {
        if (still) still.remove();
        // vega-embed's action menu is an icon only: give it a name screen readers can announce.
        var menu = live.querySelector("details > summary");
        if (menu) menu.setAttribute("aria-label", "Chart actions: save the chart as SVG or PNG");
        box.dataset.embedded = "done";
        watch(box, live, spec);
      })
      .catch(function (err) {
        box.dataset.embedded = "failed";
        console.warn("chart " + box.id + " stays static: " + err);
      });
  }

  // Re-fit when the column's width changes (rotation, window resize), once it settles.
  function watch(box, live, spec) {
    if (typeof ResizeObserver !== "function") return;
    var timer = null;
    new ResizeObserver(function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var room = Math.floor(box.clientWidth);
        if (Math.abs(room - Number(box.dataset.fittedTo)) < 8 || box.dataset.embedded !== "done") return;
        box.dataset.embedded = "pending";
        embed(box, live, spec).then(
          function () { box.dataset.embedded = "done"; },
          function (err) { box.dataset.embedded = "failed"; console.warn("chart " + box.id + ": " + err); }
        );
      }, RESIZE_MS);
    }).observe(box);
  }

  function embedAll() {
    if (typeof window.vegaEmbed !== "function") return; // keep the static images
    document.querySelectorAll("script.alliance-chart-spec").forEach(embedOne);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", embedAll);
  } else {
    embedAll();
  }
})();

// Tables: the first column sticks (CSS); the key column moves next to it when it would be
// scrolled out of view; a long table gets a filter box.
(function () {
  "use strict";
  // The column a reader looks up first, beside the identifying one (the scorecard's verdicts).
  var KEY_HEADERS = ["status"];
  var LONG_TABLE = 20; // rows

  function moveKeyColumn(wrap, table) {
    var heads = Array.prototype.slice.call(table.tHead ? table.tHead.rows[0].cells : []);
    var at = heads.findIndex(function (th) { return KEY_HEADERS.indexOf(th.textContent.trim().toLowerCase()) >= 0; });
    if (at < 0) return;
    heads[at].classList.add("alliance-key");
    // Only when the table scrolls and the key column ends beyond the visible part.
    var visibleRight = wrap.getBoundingClientRect().right;
    if (at <= 1 || heads[at].getBoundingClientRect().right <= visibleRight) return;
    Array.prototype.forEach.call(table.rows, function (row) {
      var cell = row.cells[at];
      if (cell && row.cells[1]) row.insertBefore(cell, row.cells[1]);
    });
  }

  // In a table wider than a phone, columns of long text would be squeezed to a word a line:
  // they keep a readable measure and the table scrolls instead.
  var LONG_TEXT = 60; // characters, on average over a column's cells
  function widenTextColumns(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    if (!body || !body.rows.length) return;
    Array.prototype.forEach.call(heads, function (th, i) {
      var total = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        total += row.cells[i] ? row.cells[i].textContent.length : 0;
      });
      if (total / body.rows.length > LONG_TEXT) th.classList.add("alliance-text-col");
    });
  }

  function addFilter(wrap, table, index) {
    var body = table.tBodies[0];
    if (!body || body.rows.length <= LONG_TABLE) return;
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var id = "alliance-table-filter-" + index;
    var label = document.createElement("label");
    label.className = "alliance-table-filter";
    label.htmlFor = id;
    label.textContent = "Show only rows containing";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    var status = document.createElement("span");
    status.className = "alliance-table-count";
    status.setAttribute("aria-live", "polite");
    label.appendChild(input);
    label.appendChild(status);
    wrap.parentNode.insertBefore(label, wrap);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = words.every(function (word) { return texts[i].indexOf(word) >= 0; });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      status.textContent = words.length ? shown + " of " + rows.length + " rows" : "";
    });
  }

  function tables() {
    document.querySelectorAll(".alliance-table-wrap").forEach(function (wrap, index) {
      var table = wrap.querySelector("table.alliance-table");
      if (!table) return;
      widenTextColumns(table);
      moveKeyColumn(wrap, table);
      addFilter(wrap, table, index);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", tables);
  } else {
    tables();
  }
})();

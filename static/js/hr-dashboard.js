// Survey results charts: fetches the page's JSON endpoint (same filters, same anonymity rule
// as the rest of the page) and draws it with Chart.js. Hidden groups arrive without numbers
// and are drawn as gaps, never as zeros.
(function () {
  "use strict";
  var root = document.getElementById("hr-dashboard");
  if (!root || typeof Chart === "undefined") return;

  // The highlight palette is defined once, as CSS variables in app.css.
  function palette(name) {
    var rgb = getComputedStyle(document.documentElement).getPropertyValue("--hl-" + name).trim();
    return "rgb(" + rgb + ")";
  }
  var RED = palette("red"), GREEN = palette("green");
  var COLOURS = { negative: RED, neutral: palette("amber"), positive: GREEN,
                  promoters: GREEN, passives: "#8c959f", detractors: RED };
  var SERIES = ["#0969da", "#8250df", "#bf3989", "#1a7f37", "#bc4c00", "#0a3069", "#6e7781",
                "#116329", "#a40e26", "#953800"];
  var charts = [];

  function canvas(id) { return document.getElementById(id); }

  // A long label as lines of at most `width` characters, cut between words (Chart.js draws an
  // array as several lines), so axis labels are never clipped at the canvas edge.
  function wrap(text, width) {
    var lines = [], line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }
  var LABEL_WIDTH = 24;
  Chart.defaults.maintainAspectRatio = false;  // the .chart-box gives the height
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;  // drawn at once for people (and screenshots) asking so
  }

  function empty(id, text) {
    var el = canvas(id);
    if (!el) return;
    var p = document.createElement("p");
    p.className = "empty";
    p.textContent = text;
    el.replaceWith(p);
  }

  function draw(id, config) {
    var el = canvas(id);
    if (el) charts.push(new Chart(el, config));
  }

  function enps(data) {
    var qs = data.questions.filter(function (q) { return q.kind === "enps" && !q.suppressed; });
    if (!qs.length) return empty("chart-enps", data.suppressed ? "Hidden: group too small." : "No eNPS answers to show.");
    draw("chart-enps", {
      type: "bar",
      data: {
        labels: qs.map(function (q) { return ["eNPS " + q.score].concat(wrap(q.text, LABEL_WIDTH)); }),
        datasets: ["promoters", "passives", "detractors"].map(function (k) {
          return { label: k, backgroundColor: COLOURS[k],
                   data: qs.map(function (q) { return q[k + "_pct"]; }) };
        })
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, max: 100, title: { display: true, text: "% of answers" } }, y: { stacked: true } } }
    });
  }

  function sentiment(data) {
    var s = data.sentiment;
    if (!s || s.suppressed || !s.n) return empty("chart-sentiment", s && s.suppressed ? "Hidden: group too small." : "No analysed comments yet.");
    var labels = Object.keys(s.distribution);
    draw("chart-sentiment", {
      type: "doughnut",
      data: { labels: labels, datasets: [{ data: labels.map(function (l) { return s.distribution[l]; }),
              backgroundColor: labels.map(function (l) { return COLOURS[l]; }) }] },
      options: { plugins: { title: { display: true, text: "Net sentiment " + s.net } } }
    });
  }

  function likert(data) {
    var qs = data.questions.filter(function (q) { return q.kind === "likert" && !q.suppressed && q.n; });
    if (!qs.length) return empty("chart-likert", data.suppressed ? "Hidden: group too small." : "No agreement answers to show.");
    var scale = [RED, "#fa8c8c", "#d0d7de", "#8fd19e", GREEN];
    draw("chart-likert", {
      type: "bar",
      data: {
        labels: qs.map(function (q) { return wrap(q.text, LABEL_WIDTH); }),
        datasets: [1, 2, 3, 4, 5].map(function (v) {
          return { label: String(v), backgroundColor: scale[v - 1],
                   data: qs.map(function (q) { return Math.round(1000 * q.distribution[v] / q.n) / 10; }) };
        })
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, max: 100, title: { display: true, text: "% of answers" } }, y: { stacked: true } } }
    });
  }

  function topics(data) {
    if (!data.topics.length) return empty("chart-topics", "No topic is mentioned by enough people to show.");
    draw("chart-topics", {
      type: "bar",
      data: {
        labels: data.topics.map(function (t) { return wrap(t.label, LABEL_WIDTH); }),
        datasets: [{ label: "people mentioning it",
                     data: data.topics.map(function (t) { return t.people; }),
                     backgroundColor: data.topics.map(function (t) {
                       return t.net_sentiment > 15 ? COLOURS.positive : t.net_sentiment < -15 ? COLOURS.negative : COLOURS.neutral;
                     }) }]
      },
      options: { indexAxis: "y", plugins: { legend: { display: false }, tooltip: { callbacks: {
        afterLabel: function (ctx) { return "net sentiment " + data.topics[ctx.dataIndex].net_sentiment; } } } } }
    });
  }

  // The group's own line (not suppressed when the group is shown) is always drawn; a
  // department's series is drawn when it has a visible point. The page says in words which
  // series are hidden (#trend-note).
  function trend(data) {
    var t = data.trend;
    if (!t.periods.length) return empty("chart-trend", "No responses yet.");
    var overall = { name: t.name, main: true, values: t.overall.map(function (p) {
      return p.suppressed ? p : { suppressed: false, net: p.net_sentiment };
    }) };
    var shown = t.by_department.filter(function (s) {
      return s.values.some(function (p) { return !p.suppressed; });
    });
    var series = [overall].concat(shown);
    draw("chart-trend", {
      type: "line",
      data: {
        labels: t.periods,
        datasets: series.map(function (s, i) {
          var colour = s.main ? "#24292f" : SERIES[(i - 1) % SERIES.length];
          return { label: s.name, borderColor: colour, backgroundColor: colour, spanGaps: false,
                   borderWidth: s.main ? 4 : 2, pointRadius: s.main ? 5 : 3,
                   data: s.values.map(function (p) { return p.suppressed || p.net === null ? null : p.net; }) };
        })
      },
      options: { scales: { y: { min: -100, max: 100, title: { display: true, text: ["net sentiment", "(% positive − % negative)"] } } },
                 plugins: { subtitle: { display: true, text: "Gaps are groups hidden to protect anonymity." } } }
    });
  }

  // Topic x sentiment: one column per topic (and emerging theme), one row per sentiment,
  // bubble area proportional to the comments; only what the page already shows is drawn.
  function bubbles(data) {
    var el = canvas("chart-topic-bubbles");
    if (!el) return;
    var groups = data.topics.map(function (t) { return { label: t.label, distribution: t.distribution }; })
      .concat(((data.insights || {}).themes || []).map(function (t) {
        return { label: "Theme: " + t.name, distribution: t.distribution };
      }));
    if (!groups.length) return empty("chart-topic-bubbles", "No topic is mentioned by enough people to show.");
    var labels = ["negative", "neutral", "positive"];
    var most = 1;
    groups.forEach(function (g) { labels.forEach(function (l) { most = Math.max(most, g.distribution[l] || 0); }); });
    draw("chart-topic-bubbles", {
      type: "bubble",
      data: {
        datasets: labels.map(function (l, row) {
          return { label: l, backgroundColor: COLOURS[l], borderColor: COLOURS[l],
                   data: groups.map(function (g, col) {
                     var n = g.distribution[l] || 0;
                     return { x: col, y: row, r: n ? 4 + 22 * Math.sqrt(n / most) : 0, n: n };
                   }).filter(function (p) { return p.n > 0; }) };
        })
      },
      options: {
        scales: {
          // One tick per topic and per sentiment, at whole numbers (not min + k * step).
          x: { min: -0.5, max: groups.length - 0.5,
               afterBuildTicks: function (axis) { axis.ticks = groups.map(function (g, i) { return { value: i }; }); },
               ticks: { autoSkip: false, maxRotation: 0,
                        callback: function (v) { return groups[v] ? wrap(groups[v].label, 14) : ""; } } },
          y: { min: -0.5, max: 2.5,
               afterBuildTicks: function (axis) { axis.ticks = labels.map(function (l, i) { return { value: i }; }); },
               ticks: { callback: function (v) { return labels[v] || ""; } } }
        },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          return groups[ctx.raw.x].label + ", " + labels[ctx.raw.y] + ": " + ctx.raw.n + " comments";
        } } } }
      }
    });
  }

  fetch(root.dataset.jsonUrl + window.location.search, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (data) { enps(data); sentiment(data); likert(data); topics(data); trend(data); bubbles(data); })
    .catch(function (err) {
      var p = document.createElement("p");
      p.className = "msg msg-error";
      p.textContent = "The charts could not be loaded (" + err.message + "). The tables below are complete.";
      root.prepend(p);
    });
})();

// Recruiting analytics charts: the page's figures (json_script #analytics-data, the same result
// as the tables, the CSV and the API) drawn with Chart.js. The tables below hold every number.
(function () {
  "use strict";
  var source = document.getElementById("analytics-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);

  function palette(name) {
    var rgb = getComputedStyle(document.documentElement).getPropertyValue("--hl-" + name).trim();
    return "rgb(" + rgb + ")";
  }
  var BLUE = palette("blue"), GREEN = palette("green"), AMBER = palette("amber"), GREY = palette("grey");
  Chart.defaults.maintainAspectRatio = false;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function empty(id, text) {
    var el = document.getElementById(id);
    if (!el) return;
    var p = document.createElement("p");
    p.className = "empty";
    p.textContent = text;
    el.replaceWith(p);
  }

  function draw(id, config) {
    var el = document.getElementById(id);
    if (el) new Chart(el, config);
  }

  function funnel() {
    if (!data.applications) return empty("chart-funnel", "No applications in this scope.");
    draw("chart-funnel", {
      type: "bar",
      data: {
        labels: data.stages.map(function (s) { return s.label; }),
        datasets: [{ label: "reached", backgroundColor: BLUE,
                     data: data.stages.map(function (s) { return s.reached; }) }]
      },
      options: { plugins: { legend: { display: false }, tooltip: { callbacks: {
        afterLabel: function (ctx) {
          var pct = data.stages[ctx.dataIndex].pass_through_pct;
          return pct === null ? "" : pct + "% moved on";
        } } } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  function timeInStage() {
    var stages = data.stages.filter(function (s) { return s.median_days_in_stage !== null; });
    if (!stages.length) return empty("chart-time", "No finished stay in a stage yet.");
    draw("chart-time", {
      type: "bar",
      data: {
        labels: stages.map(function (s) { return s.label; }),
        datasets: [{ label: "median days", backgroundColor: AMBER,
                     data: stages.map(function (s) { return s.median_days_in_stage; }) }]
      },
      options: { plugins: { legend: { display: false } },
                 scales: { y: { beginAtZero: true, title: { display: true, text: "days" } } } }
    });
  }

  function sources() {
    if (!data.sources.length) return empty("chart-sources", "No applications in this scope.");
    var labels = data.sources.map(function (s) { return s.source || "Not recorded"; });
    var series = [["applications", GREY], ["reached_interview", BLUE], ["hires", GREEN]];
    draw("chart-sources", {
      type: "bar",
      data: {
        labels: labels,
        datasets: series.map(function (pair) {
          return { label: pair[0].replace("_", " "), backgroundColor: pair[1],
                   data: data.sources.map(function (s) { return s[pair[0]]; }) };
        })
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  function reasons() {
    if (!data.rejection_reasons.length) return empty("chart-reasons", "No rejections in this scope.");
    draw("chart-reasons", {
      type: "bar",
      data: {
        labels: data.rejection_reasons.map(function (r) { return r.label; }),
        datasets: [{ label: "rejections", backgroundColor: palette("red"),
                     data: data.rejection_reasons.map(function (r) { return r.count; }) }]
      },
      options: { indexAxis: "y", plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  funnel(); timeInStage(); sources(); reasons();
})();

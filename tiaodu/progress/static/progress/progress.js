/* 每周调度 pages: "show all" rows, and the S-curve (planned against actual, percent of target, ECharts). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-show-more]");
    if (!button) { return; }
    var scope = document.querySelector(button.getAttribute("data-show-more"));
    if (!scope) { return; }
    scope.querySelectorAll("[data-more]").forEach(function (row) { row.classList.remove("d-none"); });
    button.parentNode.removeChild(button);
  });
})();
(function () {
  "use strict";
  var box = document.getElementById("td-curve");
  if (!box || !window.echarts) { return; }
  var chart = window.echarts.init(box, null, { renderer: "canvas" });
  var title = document.getElementById("td-curve-title");
  var input = document.getElementById("td-curve-code");
  var base = box.getAttribute("data-url");
  var asOf = box.getAttribute("data-as-of");

  function driving(data) {
    var d = data.driving;
    return d && d.index !== null && d.index !== undefined ? data.indicators[d.index] : null;
  }

  function draw(data) {
    var ind = driving(data);
    if (title) { title.textContent = data.code + " " + data.name + (data.driving ? "　" + data.driving.lag_text : ""); }
    var markIndex = data.dates.indexOf(data.as_of);
    var avgPlanned = ind ? "综合进度 计划" : "计划";
    var avgActual = ind ? "综合进度 实际" : "实际";
    var series = [
      { name: avgPlanned, type: "line", data: data.planned_pct, showSymbol: false,
        lineStyle: { type: "dashed", width: ind ? 1.5 : 2 }, color: ind ? "#8fa8c8" : "#1d6fd8",
        markLine: markIndex >= 0 ? { symbol: "none", label: { formatter: "截至日" }, lineStyle: { color: "#999" },
                                     data: [{ xAxis: data.as_of }] } : undefined },
      { name: avgActual, type: "line", data: data.actual_pct, showSymbol: !ind, symbolSize: 5,
        color: ind ? "#c9a4a1" : "#b3261e", connectNulls: false, lineStyle: { width: ind ? 1.5 : 2.5 } }
    ];
    if (ind) {
      series.push(
        { name: ind.name + " 计划", type: "line", data: ind.planned_pct, showSymbol: false, z: 3,
          lineStyle: { type: "dashed", width: 3 }, color: "#0b4fa8" },
        { name: ind.name + " 实际", type: "line", data: ind.actual_pct, showSymbol: true, symbolSize: 6, z: 3,
          connectNulls: false, lineStyle: { width: 3.5 }, color: "#d7261e" }
      );
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
      legend: { data: series.map(function (s) { return s.name; }), top: 0, type: "scroll" },
      grid: { left: 44, right: 16, top: 34, bottom: 40 },
      xAxis: { type: "category", data: data.dates, boundaryGap: false,
               axisLabel: { formatter: function (v) { return v.slice(5); } } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      dataZoom: data.dates.length > 40 ? [{ type: "inside" }, { type: "slider", height: 14, bottom: 6 }] : [],
      series: series
    }, true);
  }

  function load(code) {
    if (!code) { return; }
    box.setAttribute("aria-busy", "true");
    fetch(base.replace("__code__", encodeURIComponent(code)) + "?as_of=" + encodeURIComponent(asOf),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (res) {
        box.removeAttribute("aria-busy");
        if (!res.ok) { if (title) { title.textContent = res.data.detail || "无法加载"; } chart.clear(); return; }
        if (input) { input.value = res.data.code; }
        draw(res.data);
      })
      .catch(function () { box.removeAttribute("aria-busy"); if (title) { title.textContent = "加载失败，请稍后重试"; } });
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-curve-code]");
    if (!el) { return; }
    event.preventDefault();
    load(el.getAttribute("data-curve-code"));
    box.scrollIntoView({ behavior: "smooth", block: "center" });
  });
  var form = document.getElementById("td-curve-form");
  if (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); load(input.value.trim()); });
  }
  window.addEventListener("resize", function () { chart.resize(); });
  load(box.getAttribute("data-code"));
})();

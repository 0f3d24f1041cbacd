/* 投资 tab: each month's completed investment (columns) with the cumulative share of the annual plan
   against the straight line of 时间进度 (ECharts; data from the json_script tag). */
(function () {
  "use strict";
  var box = document.getElementById("td-investment-chart");
  var source = document.getElementById("td-investment-data");
  if (!box || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(box, null, { renderer: "canvas" });
  function pct(v) { return v === null || v === undefined ? "—" : v + "%"; }
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: ["当月完成投资", "累计占年度计划", "时间进度"], bottom: 0 },
    grid: { left: 64, right: 48, top: 30, bottom: 52 },
    xAxis: { type: "category", data: data.labels },
    yAxis: [
      { type: "value", name: "万元", axisLabel: { formatter: "{value}" } },
      { type: "value", name: "%", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
    ],
    series: [
      { name: "当月完成投资", type: "bar", data: data.amounts, color: "#1d6fd8", barMaxWidth: 28,
        tooltip: { valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " 万元"; } } },
      { name: "累计占年度计划", type: "line", yAxisIndex: 1, data: data.cumulative_pct, color: "#b3261e",
        symbolSize: 6, connectNulls: false, tooltip: { valueFormatter: pct } },
      { name: "时间进度", type: "line", yAxisIndex: 1, data: data.time_pct, color: "#888", showSymbol: false,
        lineStyle: { type: "dashed" }, tooltip: { valueFormatter: pct } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();

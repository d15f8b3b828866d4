// The console's few behaviours: htmx sends the page's CSRF token with every request, and the dashboard's chart.
document.addEventListener("htmx:configRequest", (event) => {
  event.detail.headers["X-CSRFToken"] = document.querySelector('meta[name="csrf-token"]').content;
});

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("grid-chart");
  if (!box || !window.echarts) return;
  const data = JSON.parse(document.getElementById("grid-chart-data").textContent);
  const chart = echarts.init(box);
  chart.setOption({
    color: ["#d92d20", "#f79009", "#12b76a", "#667085"],
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 12, bottom: 30, top: 40 },
    xAxis: { type: "category", data: data.grids },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map((s) => ({ ...s, type: "bar", stack: "status" })),
  });
  window.addEventListener("resize", () => chart.resize());
});

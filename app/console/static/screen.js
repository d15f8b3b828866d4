// The big screen: fetches its figures every data-seconds and rewrites the numbers and the chart, without reloading.
const body = document.body;
const percent = (rate) => (rate === null || rate === undefined ? "—" : (rate * 100).toFixed(1) + "%");
const read = (figures, path) => path.split(".").reduce((value, key) => (value == null ? value : value[key]), figures);
let chart;

function show(figures) {
  document.querySelectorAll("[data-figure]").forEach((cell) => {
    const value = read(figures, cell.dataset.figure);
    cell.textContent = "rate" in cell.dataset ? percent(value) : value;
  });
  // China time whatever zone the screen's computer is set to, as every time on the pages is.
  document.getElementById("updated").textContent = new Date().toLocaleTimeString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" });
  if (!window.echarts) return;
  chart = chart || echarts.init(document.getElementById("coverage-chart"), "dark");
  chart.setOption({
    backgroundColor: "transparent",
    animation: false,   // a wall screen redraws every tick: no bars growing from zero each time
    grid: { left: 60, right: 20, bottom: 40, top: 20 },
    xAxis: { type: "category", data: figures.grids.map((g) => g.name), axisLabel: { fontSize: 18 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%", fontSize: 16 } },
    series: [{ type: "bar", data: figures.grids.map((g) => Math.round((g.coverage || 0) * 1000) / 10),
               label: { show: true, position: "top", formatter: "{c}%", fontSize: 18, color: "#e6f0ff" }, itemStyle: { color: "#3b82f6" } }],
  });
}

async function refresh() {
  try {
    const answer = await fetch(body.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (answer.ok && answer.headers.get("Content-Type").startsWith("application/json")) show(await answer.json());
  } catch (error) {
    // The network or the server is away: keep the last figures and try again at the next tick.
  }
}

document.addEventListener("DOMContentLoaded", () => {
  refresh();
  setInterval(refresh, Number(body.dataset.seconds) * 1000);
});

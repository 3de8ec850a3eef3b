// Replace each chart's static SVG with the interactive chart once the local Vega bundle is
// loaded. The spec sits in a JSON <script> beside the container; nothing loads off-site.
(function () {
  "use strict";
  // Export helps readers; the source and editor actions would link off-site.
  var OPTIONS = {
    actions: { export: true, source: false, compiled: false, editor: false },
    renderer: "svg",
  };
  function embedAll() {
    if (typeof window.vegaEmbed !== "function") return; // keep the static images
    document.querySelectorAll("script.alliance-chart-spec").forEach(function (node) {
      var box = document.getElementById(node.dataset.chart);
      if (!box || box.dataset.embedded) return;
      box.dataset.embedded = "pending";
      var live = box.querySelector(".alliance-chart-live");
      window
        .vegaEmbed(live, JSON.parse(node.textContent), OPTIONS)
        .then(function () {
          var still = box.querySelector(".alliance-chart-static");
          if (still) still.remove();
          // vega-embed's action menu is an icon only: give it a name screen readers can announce.
          var menu = live.querySelector("details > summary");
          if (menu) menu.setAttribute("aria-label", "Chart actions: save the chart as SVG or PNG");
          box.dataset.embedded = "done";
        })
        .catch(function (err) {
          box.dataset.embedded = "failed";
          console.warn("chart " + box.id + " stays static: " + err);
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", embedAll);
  } else {
    embedAll();
  }
})();

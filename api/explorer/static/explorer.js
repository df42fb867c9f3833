// policykg explorer: draws the graph the page embeds (#graph-data) with vis-network, served from the app.
// Node size follows the centrality chosen in #size-by (or the canvas's data-size-by); a click on a node opens
// the agency's page (the page lists the same agencies as links for keyboards and screen readers).
(function () {
  "use strict";
  var canvas = document.getElementById("graph");
  var data = document.getElementById("graph-data");
  if (!canvas || !data || typeof vis === "undefined") { return; }
  var graph = JSON.parse(data.textContent);
  var select = document.getElementById("size-by");
  var sizeBy = select ? select.value : canvas.dataset.sizeBy;
  var palette = {
    government_department: "#c990c0", district_government: "#8dcc93", vertical_agency: "#57c7e3",
    party_committee: "#f79767", enterprise: "#ffe081", institution: "#d9c8ae", zone_committee: "#4c8eda",
    mass_organization: "#f16667", judicial: "#a5abb6", legislature: "#8dd3c7"
  };

  function nodeOf(n) {
    var colour = palette[n.kind] || "#d9c8ae";
    return {
      id: n.id, label: n.label, value: n[sizeBy], url: n.url,
      title: n.label + " (" + n.kind.replace(/_/g, " ") + ")\ndegree " + n.degree + ", weighted " + n.weighted_degree + ", betweenness " + n.betweenness,
      color: { background: colour, border: n.centre ? "#1d2330" : "#6b6f78", highlight: { background: "#ffd35c", border: "#1d2330" } },
      borderWidth: n.centre ? 4 : 1
    };
  }
  var nodes = new vis.DataSet(graph.nodes.map(nodeOf));
  var edges = new vis.DataSet(graph.edges.map(function (e, i) {
    return { id: i, from: e.from, to: e.to, value: e.weight, title: e.weight + " shared" };
  }));
  var network = new vis.Network(canvas, { nodes: nodes, edges: edges }, {
    nodes: { shape: "dot", scaling: { min: 6, max: 42, label: { enabled: true, min: 13, max: 24 } },
             font: { face: "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif", strokeWidth: 3, strokeColor: "#fff" } },
    edges: { color: { color: "#b9bfca", highlight: "#2760b0" }, scaling: { min: 1, max: 9 }, smooth: false },
    physics: { solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -60, springLength: 110 },
               stabilization: { iterations: 400, fit: true } },
    layout: { randomSeed: 7 },  // the same drawing on every load (and in the README's picture)
    interaction: { hover: true, tooltipDelay: 150, keyboard: false }
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    network.fit();
    canvas.dataset.ready = "true";
  });
  network.on("click", function (params) {
    if (params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      if (node && node.url) { window.location.href = node.url; }
    }
  });
  if (select) {
    select.addEventListener("change", function () {
      sizeBy = select.value;
      canvas.dataset.sizeBy = sizeBy;
      nodes.update(graph.nodes.map(function (n) { return { id: n.id, value: n[sizeBy] }; }));
    });
  }
  canvas.dataset.nodes = String(nodes.length);
  canvas.dataset.edges = String(edges.length);
  window.policykgGraph = { network: network, nodes: nodes, edges: edges };
})();

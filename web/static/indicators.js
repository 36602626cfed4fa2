// Indicator charts: save a chart as SVG or PNG, offline (the SVG is drawn on the server;
// PNG goes through a canvas in the browser). No inline script: the page's CSP forbids it.
(function () {
  "use strict";

  function svgText(box) {
    var svg = box.querySelector("svg");
    if (!svg) return null;
    var xml = new XMLSerializer().serializeToString(svg);
    if (xml.indexOf("xmlns=") < 0) xml = xml.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml;
  }

  function save(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function fileName(box, ext) {
    return (box.getAttribute("data-chart-name") || "chart").replace(/[\\/:*?"<>|\s]+/g, "_") + "." + ext;
  }

  function savePng(box) {
    var text = svgText(box);
    if (!text) return;
    var svg = box.querySelector("svg");
    var w = svg.viewBox.baseVal.width || svg.clientWidth, h = svg.viewBox.baseVal.height || svg.clientHeight;
    var scale = 2;
    var img = new Image();
    img.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = w * scale;
      canvas.height = h * scale;
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) { if (blob) save(blob, fileName(box, "png")); }, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }

  document.querySelectorAll(".indicator-chart").forEach(function (section) {
    var box = section.querySelector(".chart-box");
    if (!box) return;
    var svgButton = section.querySelector(".save-svg"), pngButton = section.querySelector(".save-png");
    if (svgButton) svgButton.addEventListener("click", function () {
      var text = svgText(box);
      if (text) save(new Blob([text], { type: "image/svg+xml" }), fileName(box, "svg"));
    });
    if (pngButton) pngButton.addEventListener("click", function () { savePng(box); });
  });
})();

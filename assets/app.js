// Plaza: optional enhancements. Every page works without this file.
// Character counter for the compose box: counts user-perceived characters
// (grapheme clusters), as the server does.
(function () {
  "use strict";
  var seg = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function count(s) {
    s = s.trim();
    if (!seg) return Array.from(s).length;
    var n = 0;
    for (var it = seg.segment(s)[Symbol.iterator](), r = it.next(); !r.done; r = it.next()) n++;
    return n;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-max]").forEach(function (ta) {
      var max = parseInt(ta.getAttribute("data-max"), 10);
      var label = ta.getAttribute("data-left") || "{}";
      var out = ta.form && ta.form.querySelector(".counter");
      if (!out) return;
      function update() {
        var left = max - count(ta.value);
        out.textContent = label.replace("{}", left);
        out.classList.toggle("over", left < 0);
      }
      ta.addEventListener("input", update);
      update();
    });
  });
})();

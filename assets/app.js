// Plaza: optional enhancements. Every page works without this file.
// Character counter for the compose box: counts user-perceived characters
// (grapheme clusters) exactly as the server does (domain::text::counted_len):
// first the characters the server removes (controls but tab and line feed,
// the byte-order mark, bidi embeddings, overrides and isolates), then the
// white space at the ends. tests/golden/text-counts.json is the shared list.
(function () {
  "use strict";
  var seg = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  var removed = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFEFF\u202A-\u202E\u2066-\u2069]/g;
  function count(s) {
    s = s.replace(/\r\n/g, "\n").replace(removed, "").trim();
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

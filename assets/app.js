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

// The composer (issue 18), on top of the plain form in
// views::components::compose_form, which works without this script:
// thumbnails of the chosen files with a description field each, remove and
// reorder (the file input is rewritten through a DataTransfer, so the form
// sends the files in the order shown); sending with a progress bar and the
// button disabled; a refusal shown next to the form with the files kept;
// `@` and `#` suggestions from GET /autocomplete; a draft kept in
// localStorage per account, cleared after posting and at logout.
(function () {
  "use strict";
  var DRAFT = "plaza.draft.";

  function clearDrafts() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf(DRAFT) === 0) localStorage.removeItem(k);
      }
    } catch (e) { /* storage off: nothing kept */ }
  }

  function files(form) {
    var input = form.querySelector("input[type=file][name=media]");
    var list = form.querySelector("ol.thumbs");
    var tpl = form.querySelector("template.thumb");
    var lines = form.querySelector("label.alt-lines");
    if (!input || !list || !tpl || typeof DataTransfer === "undefined") return;
    var chosen = []; // [{file, li}]

    function sync() {
      var dt = new DataTransfer();
      chosen.forEach(function (c) { dt.items.add(c.file); });
      input.files = dt.files;
      list.hidden = chosen.length === 0;
      // One description field per file replaces the one-per-line box.
      if (lines) {
        lines.hidden = chosen.length > 0;
        lines.querySelector("textarea").disabled = chosen.length > 0;
      }
      var named = tpl.getAttribute("data-named") || "{} ({})";
      chosen.forEach(function (c, i) {
        list.appendChild(c.li);
        c.li.querySelector("[data-act=earlier]").disabled = i === 0;
        c.li.querySelector("[data-act=later]").disabled = i === chosen.length - 1;
        // Which photo each control is for, for a screen reader ("前移（第 2 张）").
        c.li.querySelectorAll("button, input").forEach(function (el) {
          var what = el.tagName === "INPUT" ? el.parentNode.firstChild.textContent.trim() : el.textContent.trim();
          el.setAttribute("aria-label", named.replace("{}", what).replace("{}", String(i + 1)));
        });
      });
    }

    function add(file) {
      var li = tpl.content.firstElementChild.cloneNode(true);
      var img = li.querySelector("img");
      if (file.type.indexOf("image/") === 0) {
        img.src = URL.createObjectURL(file);
      } else {
        var name = document.createElement("span");
        name.className = "file-name";
        name.textContent = file.name;
        img.replaceWith(name);
      }
      li.title = file.name;
      var entry = { file: file, li: li };
      li.addEventListener("click", function (ev) {
        var act = ev.target.getAttribute && ev.target.getAttribute("data-act");
        if (!act) return;
        var i = chosen.indexOf(entry);
        if (act === "remove") {
          chosen.splice(i, 1);
          li.remove();
          if (img.src) URL.revokeObjectURL(img.src);
        } else if (act === "earlier" && i > 0) {
          chosen.splice(i - 1, 0, chosen.splice(i, 1)[0]);
        } else if (act === "later" && i < chosen.length - 1) {
          chosen.splice(i + 1, 0, chosen.splice(i, 1)[0]);
        }
        sync();
        // Keep the keyboard where it was: moving a node drops its focus.
        var other = li.querySelector("[data-act=" + (act === "earlier" ? "later" : "earlier") + "]");
        var again = act === "remove" ? input : (ev.target.disabled ? other : ev.target);
        again.focus();
      });
      chosen.push(entry);
    }

    input.addEventListener("change", function () {
      var picked = Array.prototype.slice.call(input.files);
      var video = picked.concat(chosen.map(function (c) { return c.file; })).some(function (f) { return f.type.indexOf("video/") === 0; });
      var total = chosen.length + picked.length;
      if ((video && total > 1) || total > 9) {
        say(form, form.getAttribute("data-too-many"));
        picked = picked.slice(0, Math.max(0, (video ? 1 : 9) - chosen.length));
      }
      picked.forEach(add);
      sync();
    });
  }

  // A message next to the form (a refusal, a failed network).
  function say(form, text) {
    var p = form.querySelector("p.error.sent");
    if (!p) {
      p = document.createElement("p");
      p.className = "error sent";
      p.setAttribute("role", "alert");
      form.insertBefore(p, form.querySelector(".editor"));
    }
    p.textContent = text;
    p.hidden = !text;
  }

  function send(form, draftKey) {
    var button = form.querySelector("button[type=submit]");
    var bar = form.querySelector("progress.upload");
    form.addEventListener("submit", function (ev) {
      if (typeof FormData === "undefined") return; // the plain form
      ev.preventDefault();
      if (button.disabled) return;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Plaza-Composer", "1");
      function done() {
        button.disabled = false;
        bar.hidden = true;
        form.removeAttribute("aria-busy");
      }
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400) {
          try { if (draftKey) localStorage.removeItem(draftKey); } catch (e) { /* nothing kept */ }
          bar.value = 100;
          // Back to the timeline (the redirect the server answered).
          location.assign(xhr.responseURL || "/");
          return;
        }
        done();
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var why = doc.querySelector("form.compose p.error") || doc.querySelector("main p.error") || doc.querySelector("main h1");
        say(form, why ? why.textContent.trim() : form.getAttribute("data-network-error"));
      });
      xhr.addEventListener("error", function () {
        done();
        say(form, form.getAttribute("data-network-error"));
      });
      var data = new FormData(form);
      say(form, "");
      button.disabled = true;
      bar.value = 0;
      bar.hidden = false;
      form.setAttribute("aria-busy", "true");
      xhr.send(data);
    });
  }

  function draft(form, ta) {
    var account = form.getAttribute("data-account");
    if (!account) return null;
    var key = DRAFT + account;
    var vis = form.querySelector("select[name=visibility]");
    try {
      var kept = JSON.parse(localStorage.getItem(key) || "null");
      // A refused post the server showed again wins over the kept draft.
      if (kept && !ta.value) {
        ta.value = kept.body || "";
        if (vis && kept.visibility) vis.value = kept.visibility;
        ta.dispatchEvent(new Event("input", { bubbles: true }));
      }
    } catch (e) { /* a broken draft is dropped */ }
    function save() {
      try {
        if (ta.value.trim()) localStorage.setItem(key, JSON.stringify({ body: ta.value, visibility: vis ? vis.value : "" }));
        else localStorage.removeItem(key);
      } catch (e) { /* storage full or off */ }
    }
    ta.addEventListener("input", save);
    if (vis) vis.addEventListener("change", save);
    return key;
  }

  // `@name` or `#tag` being typed just before the caret: [start, text].
  function fragment(ta) {
    var before = ta.value.slice(0, ta.selectionStart);
    var m = /(^|[\s(（，。、,.!！?？:：])([@#][^\s@#]{1,30})$/.exec(before);
    return m ? [before.length - m[2].length, m[2]] : null;
  }

  // Suggestions under any text box that asks for them (`data-suggest`,
  // its value the list's label): the composer has its list in the page;
  // the comment and edit boxes get one here.
  var lists = 0;
  function suggest(ta) {
    var list = document.getElementById(ta.getAttribute("aria-controls") || "");
    if (!list) {
      var wrap = document.createElement("div");
      wrap.className = "editor";
      ta.parentNode.insertBefore(wrap, ta);
      wrap.appendChild(ta);
      list = document.createElement("ul");
      list.className = "suggest";
      list.id = "suggest-" + (++lists);
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", ta.getAttribute("data-suggest"));
      list.hidden = true;
      wrap.appendChild(list);
      ta.setAttribute("aria-controls", list.id);
      ta.setAttribute("aria-autocomplete", "list");
    }
    var timer = null, asked = 0, items = [], active = -1, at = null;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      ta.removeAttribute("aria-activedescendant");
      ta.setAttribute("aria-expanded", "false");
    }

    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0) ta.setAttribute("aria-activedescendant", list.children[i].id);
    }

    function insert(i) {
      var it = items[i];
      if (!it || !at) return;
      var end = at[0] + at[1].length;
      var text = it.insert + " ";
      ta.value = ta.value.slice(0, at[0]) + text + ta.value.slice(end);
      var caret = at[0] + text.length;
      ta.setSelectionRange(caret, caret);
      close();
      ta.focus();
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function show(found, frag) {
      list.textContent = "";
      items = found;
      at = frag;
      // A handle typed out in full has nothing left to complete: no list
      // (at phone width it covered the send button below the box).
      var whole = found.length === 1 && found[0].insert.toLowerCase() === frag[1].toLowerCase();
      if (!found.length || whole) { close(); return; }
      found.forEach(function (it, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        var strong = document.createElement("strong");
        strong.textContent = it.label;
        li.appendChild(strong);
        if (it.handle) {
          var span = document.createElement("span");
          span.className = "handle";
          span.textContent = " " + it.handle;
          li.appendChild(span);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); insert(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      ta.setAttribute("aria-expanded", "true");
      mark(0);
    }

    ta.addEventListener("input", function () {
      var frag = fragment(ta);
      clearTimeout(timer);
      if (!frag) { close(); return; }
      timer = setTimeout(function () {
        var n = ++asked;
        fetch("/autocomplete?q=" + encodeURIComponent(frag[1]), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (j) { if (n === asked) show(j.items || [], frag); })
          .catch(close);
      }, 150);
    });
    ta.addEventListener("keydown", function (e) {
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark((active + items.length - 1) % items.length); }
      else if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); insert(active < 0 ? 0 : active); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    ta.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Logging out forgets every draft kept in this browser.
    document.querySelectorAll("form[action='/logout']").forEach(function (f) {
      f.addEventListener("submit", clearDrafts);
    });
    document.querySelectorAll("form.compose").forEach(function (form) {
      var ta = form.querySelector("textarea[name=body]");
      if (!ta) return;
      files(form);
      var key = draft(form, ta);
      send(form, key);
    });
    document.querySelectorAll("textarea[data-suggest]").forEach(suggest);
  });
})();

// The image viewer (issue 18): a click on a post's image opens it large in
// a modal dialog (views::layout's `template#lightbox`) with its description;
// Esc or the close button shuts it, the arrow keys and a swipe go to the
// post's other images; focus stays inside while open and goes back to the
// image link after. Without this script the link opens the image itself.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    var link = ev.target.closest && ev.target.closest(".media-grid a");
    var tpl = document.getElementById("lightbox");
    if (!link || !tpl || typeof HTMLDialogElement === "undefined") return;
    ev.preventDefault();
    var links = Array.prototype.slice.call(link.closest(".media-grid").querySelectorAll("a"));
    var i = links.indexOf(link);
    var dialog = tpl.content.firstElementChild.cloneNode(true);
    var img = dialog.querySelector("img");
    var caption = dialog.querySelector("figcaption");
    var prev = dialog.querySelector(".lb-prev");
    var next = dialog.querySelector(".lb-next");
    function show(j) {
      i = (j + links.length) % links.length;
      var thumb = links[i].querySelector("img");
      img.src = links[i].getAttribute("href");
      img.alt = thumb ? thumb.alt : "";
      caption.textContent = img.alt;
      prev.hidden = next.hidden = links.length < 2;
    }
    show(i);
    dialog.querySelector(".lb-close").addEventListener("click", function () { dialog.close(); });
    prev.addEventListener("click", function () { show(i - 1); });
    next.addEventListener("click", function () { show(i + 1); });
    dialog.addEventListener("keydown", function (e) {
      if (e.key === "ArrowLeft") { e.preventDefault(); show(i - 1); }
      else if (e.key === "ArrowRight") { e.preventDefault(); show(i + 1); }
    });
    // A click on the dark backdrop (the dialog itself, not its content) closes.
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    var x0 = null;
    dialog.addEventListener("touchstart", function (e) { x0 = e.touches[0].clientX; }, { passive: true });
    dialog.addEventListener("touchend", function (e) {
      if (x0 === null) return;
      var dx = e.changedTouches[0].clientX - x0;
      x0 = null;
      if (Math.abs(dx) > 40) show(dx < 0 ? i + 1 : i - 1);
    });
    dialog.addEventListener("close", function () {
      dialog.remove();
      link.focus();
    });
    document.body.appendChild(dialog);
    // showModal makes the page behind inert: focus stays in the dialog.
    dialog.showModal();
    dialog.querySelector(".lb-close").focus();
  });
})();

// Relative times (issue 18): the server writes "刚刚" / "3 分钟前"; on a page
// left open (every 30 s, and on coming back to the tab), times under an
// hour old count their minutes on, counted from
// the server's clock when the page was made (`data-now`), in the page's
// own words (`data-minutes`). Older times stay as the server wrote them.
(function () {
  "use strict";
  var loaded = Date.now();
  function tick() {
    var passed = (Date.now() - loaded) / 1000;
    document.querySelectorAll("time[data-minutes][data-now]").forEach(function (t) {
      var at = Date.parse(t.getAttribute("datetime")) / 1000;
      var minutes = Math.floor((parseInt(t.getAttribute("data-now"), 10) + passed - at) / 60);
      if (minutes >= 60) {
        t.removeAttribute("data-minutes");
      } else if (minutes >= 1) {
        t.textContent = t.getAttribute("data-minutes").replace("{}", minutes);
      }
    });
  }
  setInterval(tick, 30000);
  // A phone coming back to the tab sees the right time at once.
  document.addEventListener("visibilitychange", function () { if (!document.hidden) tick(); });
})();

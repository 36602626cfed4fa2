// reportsearch front end: keyboard focus, copy citation, excerpt basket, report scrolling,
// find in report.
// No inline scripts anywhere (the Content-Security-Policy forbids them); report text is only
// ever put into the page with textContent, never innerHTML.
(function () {
  "use strict";

  var STORE_KEY = "reportsearch.excerpts.v1";
  var NOTES_KEY = "reportsearch.notes.v1";

  // ---- small helpers ------------------------------------------------------------------
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  var toastTimer = null;
  function toast(message, isError) {
    var el = $("#toast");
    if (!el) return;
    el.textContent = message;
    el.className = "toast" + (isError ? " toast-error" : "");
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, 2600);
  }

  function fetchParagraph(id) {
    return fetch("/api/paragraphs/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body && body.error ? body.error : "请求失败（" + r.status + "）");
          return body;
        });
      });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http hosts other than localhost have no Clipboard API; the old way still works.
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "offscreen";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (ok) { resolve(); } else { reject(new Error("浏览器不允许写入剪贴板")); }
    });
  }

  // ---- excerpt basket (localStorage) ---------------------------------------------------
  function loadBasket() {
    try {
      var items = JSON.parse(localStorage.getItem(STORE_KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (x) { return x && typeof x.id === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function saveBasket(items) {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(items));
    } catch (e) {
      toast("无法保存摘录：浏览器禁止了本地存储。", true);
    }
    updateBadge(items);
    markExcerptButtons(items);
  }

  function inBasket(items, id) {
    return items.some(function (x) { return x.id === id; });
  }

  function updateBadge(items) {
    var badge = $("#basket-count");
    if (badge) badge.textContent = String((items || loadBasket()).length);
  }

  function markExcerptButtons(items) {
    $all("[data-excerpt]").forEach(function (btn) {
      var on = inBasket(items, btn.getAttribute("data-excerpt"));
      btn.classList.toggle("on", on);
      btn.textContent = on ? "已加入摘录" : "加入摘录";
      btn.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function toggleExcerpt(btn) {
    var id = btn.getAttribute("data-excerpt");
    var items = loadBasket();
    if (inBasket(items, id)) {
      saveBasket(items.filter(function (x) { return x.id !== id; }));
      toast("已从摘录中移除");
      return;
    }
    btn.disabled = true;
    fetchParagraph(id).then(function (p) {
      var current = loadBasket();
      if (!inBasket(current, id)) {
        current.push({ id: p.id, report_id: p.report_id, title: p.title || p.issuer || p.report_id,
                       section_path: p.section_path || [], text: p.text, citation: p.citation });
      }
      saveBasket(current);
      toast("已加入摘录（共 " + current.length + " 段）");
    }).catch(function (err) {
      toast(err.message, true);
    }).then(function () { btn.disabled = false; });
  }

  function copyCitation(btn) {
    var id = btn.getAttribute("data-copy");
    fetchParagraph(id).then(function (p) {
      return copyText(p.text + "\n" + p.citation);
    }).then(function () {
      btn.classList.add("done");
      toast("已复制段落原文及引用");
      setTimeout(function () { btn.classList.remove("done"); }, 1500);
    }).catch(function (err) {
      toast("复制失败：" + err.message, true);
    });
  }

  // The reference alone, exactly as the page shows it (.cite-text holds nothing else).
  function copyCite(btn) {
    var box = btn.closest(".cite");
    var textEl = box && $(".cite-text", box);
    if (!textEl) return;
    copyText(textEl.textContent).then(function () {
      btn.classList.add("done");
      btn.textContent = "已复制";
      toast("已复制引用");
      setTimeout(function () { btn.classList.remove("done"); btn.textContent = "复制"; }, 1500);
    }).catch(function (err) {
      toast("复制失败：" + err.message, true);
    });
  }

  // ---- basket page -----------------------------------------------------------------------
  function notesChoice() {
    var checked = $("input[name='notes']:checked");
    return checked ? checked.value : "footnote";
  }

  function restoreNotesChoice() {
    var saved = null;
    try { saved = localStorage.getItem(NOTES_KEY); } catch (e) { saved = null; }
    $all("input[name='notes']").forEach(function (input) {
      if (saved && input.value === saved) input.checked = true;
    });
    $all("#notes-choice label").forEach(function (label) {
      var input = $("input", label);
      label.classList.toggle("on", !!(input && input.checked));
    });
  }

  function renderBasket() {
    var list = $("#basket");
    if (!list) return;
    var tpl = $("#basket-item");
    var items = loadBasket();
    var maxIds = parseInt(($("#basket-tools") || list).getAttribute("data-max-ids") || "200", 10);
    list.textContent = "";
    items.forEach(function (item, i) {
      var li = tpl.content.firstElementChild.cloneNode(true);
      li.setAttribute("data-id", item.id);
      var a = $(".basket-title", li);
      a.textContent = (i + 1) + ". " + (item.title || item.report_id || item.id);
      a.href = "/p/" + encodeURIComponent(item.id);
      $(".basket-path", li).textContent = (item.section_path || []).join(" › ");
      $(".basket-text", li).textContent = item.text || "";
      $(".basket-cite", li).textContent = item.citation ? "——" + item.citation : "";
      $("[data-move='-1']", li).disabled = i === 0;
      $("[data-move='1']", li).disabled = i === items.length - 1;
      list.appendChild(li);
    });
    var empty = items.length === 0;
    $("#basket-empty").hidden = !empty;
    $("#basket-too-many").hidden = items.length <= maxIds;
    var ids = items.map(function (x) { return encodeURIComponent(x.id); }).join(",");
    ["docx", "txt", "md"].forEach(function (ext) {
      var link = $("#export-" + ext);
      if (!link) return;
      link.href = "/api/export." + ext + "?ids=" + ids +
        (ext === "docx" ? "&notes=" + encodeURIComponent(notesChoice()) : "");
      link.classList.toggle("disabled", empty || items.length > maxIds);
      link.setAttribute("aria-disabled", empty ? "true" : "false");
    });
    updateBadge(items);
  }

  function basketClick(ev) {
    var btn = ev.target.closest("button");
    if (!btn) return;
    var li = btn.closest(".basket-item");
    if (!li) return;
    var id = li.getAttribute("data-id");
    var items = loadBasket();
    var i = items.findIndex(function (x) { return x.id === id; });
    if (i < 0) return;
    if (btn.hasAttribute("data-remove")) {
      items.splice(i, 1);
    } else if (btn.hasAttribute("data-move")) {
      var j = i + parseInt(btn.getAttribute("data-move"), 10);
      if (j < 0 || j >= items.length) return;
      var moved = items.splice(i, 1)[0];
      items.splice(j, 0, moved);
    }
    saveBasket(items);
    renderBasket();
  }

  // ---- report page ---------------------------------------------------------------------------
  function focusTarget() {
    var id;
    try { id = decodeURIComponent((location.hash || "").slice(1)); } catch (e) { return; }
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    // Another spelling of the title is kept only as an anchor: the heading stands for it.
    if (el.hidden && el.closest("h1")) el = el.closest("h1");
    // A target inside folded content (the reports list's #sidecar notes) is unfolded.
    for (var up = el; up; up = up.parentElement) {
      if (up.tagName === "DETAILS") up.open = true;
    }
    $all(".para.target").forEach(function (x) { x.classList.remove("target"); });
    el.classList.add("target");
    el.scrollIntoView({ block: "center" });
  }

  var markIndex = -1;
  function nextMark() {
    var marked = $all(".report-body .has-mark");
    if (!marked.length) return;
    markIndex = (markIndex + 1) % marked.length;
    marked[markIndex].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // ---- find in report ------------------------------------------------------------------------
  // Matches are wrapped in <mark class="find-hit"> by splitting the page's own text nodes;
  // report text is never read or written as HTML. A match may run across the server's query
  // <mark>s, so each block's text nodes are searched as one string.
  var FIND_BLOCKS = "#report .ptext";
  var finder = { query: null, count: 0, current: -1, timer: null };

  // Case and full-width/half-width ASCII are ignored, one character for one, so offsets in
  // the folded text are offsets in the page's text.
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      var c = text.charAt(i);
      if (code >= 0xFF01 && code <= 0xFF5E) c = String.fromCharCode(code - 0xFEE0);
      else if (code === 0x3000) c = " ";
      var lower = c.toLowerCase();
      out += lower.length === 1 ? lower : c;
    }
    return out;
  }

  function clearFind() {
    $all("mark.find-hit").forEach(function (m) {
      var parent = m.parentNode;
      while (m.firstChild) parent.insertBefore(m.firstChild, m);
      parent.removeChild(m);
      parent.normalize();
    });
    finder.count = 0;
    finder.current = -1;
  }

  function wrapRanges(block, ranges) {
    var nodes = [], text = "";
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, null);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push({ node: n, start: text.length });
      text += n.nodeValue;
    }
    // Last node first, last match first: what is still to be wrapped keeps its offsets.
    for (var k = nodes.length - 1; k >= 0; k--) {
      var node = nodes[k].node, ns = nodes[k].start, ne = ns + node.nodeValue.length;
      for (var r = ranges.length - 1; r >= 0; r--) {
        var s = Math.max(ranges[r][0], ns), e = Math.min(ranges[r][1], ne);
        if (s >= e) continue;
        var piece = node;
        if (e - ns < piece.nodeValue.length) piece.splitText(e - ns);
        if (s - ns > 0) piece = piece.splitText(s - ns);
        var mark = document.createElement("mark");
        mark.className = "find-hit";
        mark.setAttribute("data-find", String(ranges[r][2]));
        piece.parentNode.insertBefore(mark, piece);
        mark.appendChild(piece);
      }
    }
  }

  function runFind(query) {
    clearFind();
    finder.query = query;
    var needle = fold(query);
    if (needle) {
      $all(FIND_BLOCKS).forEach(function (block) {
        var hay = fold(block.textContent);
        var ranges = [];
        for (var at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
          ranges.push([at, at + needle.length, finder.count++]);
        }
        if (ranges.length) wrapRanges(block, ranges);
      });
    }
    if (finder.count) { stepFind(1); } else { showFindCount(); }
  }

  function stepFind(step) {
    if (!finder.count) return;
    finder.current = (finder.current + step + finder.count) % finder.count;
    $all("mark.find-hit.current").forEach(function (m) { m.classList.remove("current"); });
    var parts = $all("mark.find-hit[data-find='" + finder.current + "']");
    parts.forEach(function (m) { m.classList.add("current"); });
    if (parts.length) parts[0].scrollIntoView({ block: "center" });
    showFindCount();
  }

  function showFindCount() {
    var out = $("#find-count");
    if (!out) return;
    if (!finder.query) { out.textContent = ""; return; }
    out.textContent = finder.count ? (finder.current + 1) + " / " + finder.count : "无匹配";
    out.classList.toggle("none", !finder.count);
  }

  function findInput() {
    var box = $("#find-q");
    clearTimeout(finder.timer);
    finder.timer = setTimeout(function () { runFind(box.value); }, 150);
  }

  function findKey(ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      clearTimeout(finder.timer);
      var box = ev.target;
      if (box.value !== finder.query) { runFind(box.value); } else { stepFind(ev.shiftKey ? -1 : 1); }
    } else if (ev.key === "Escape") {
      ev.target.value = "";
      clearTimeout(finder.timer);
      runFind("");
    }
  }

  // ---- wiring ------------------------------------------------------------------------------
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var q = $("#q");
    if (q) { ev.preventDefault(); q.focus(); q.select(); }
  });

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-copy],[data-copy-cite],[data-excerpt],#next-mark,#basket-clear," +
                               "a.disabled,#find-prev,#find-next,#toc-list a");
    if (!el) return;
    if (el.matches("a.disabled")) { ev.preventDefault(); return; }
    if (el.matches("#toc-list a")) {
      // On a phone the outline is folded over the text: fold it again after a jump.
      var toggle = $("#toc-toggle");
      if (toggle) toggle.checked = false;
      return;
    }
    if (el.id === "find-prev" || el.id === "find-next") {
      var box = $("#find-q");
      if (box && box.value !== finder.query) { runFind(box.value); }
      else { stepFind(el.id === "find-prev" ? -1 : 1); }
      return;
    }
    if (el.hasAttribute("data-copy-cite")) { copyCite(el); }
    else if (el.hasAttribute("data-copy")) { copyCitation(el); }
    else if (el.hasAttribute("data-excerpt")) { toggleExcerpt(el); }
    else if (el.id === "next-mark") { nextMark(); }
    else if (el.id === "basket-clear") {
      if (loadBasket().length && window.confirm("清空全部摘录？")) { saveBasket([]); renderBasket(); }
    }
  });

  document.addEventListener("change", function (ev) {
    if (ev.target.type === "radio" && ev.target.closest(".segmented")) {
      $all("label", ev.target.closest(".segmented")).forEach(function (label) {
        label.classList.toggle("on", label.contains(ev.target));
      });
    }
    if (ev.target.name === "notes" && ev.target.type === "radio") {
      try { localStorage.setItem(NOTES_KEY, ev.target.value); } catch (e) { /* not kept */ }
      renderBasket();
    }
    if (ev.target.hasAttribute && ev.target.hasAttribute("data-autosubmit")) {
      var form = ev.target.form;
      if (form && $("#q", form) && $("#q", form).value.trim()) form.submit();
    }
  });

  // Opened, a hit's whole paragraph replaces its snippet, and a paragraph's reference keeps
  // its tools shown (CSS :has() does the same where it is supported).
  document.addEventListener("toggle", function (ev) {
    var d = ev.target;
    if (!d || !d.matches) return;
    if (d.matches(".hit-full")) {
      var hit = d.closest(".hit");
      if (hit) hit.classList.toggle("expanded", d.open);
    } else if (d.matches(".cite")) {
      var para = d.closest(".para");
      if (para) para.classList.toggle("cite-open", d.open);
    }
  }, true);

  window.addEventListener("hashchange", focusTarget);
  // Another tab changed the basket: keep this one in step.
  window.addEventListener("storage", function (ev) {
    if (ev.key === STORE_KEY) { markExcerptButtons(loadBasket()); updateBadge(); renderBasket(); }
  });

  // ---- 高级检索: the form writes a query string ---------------------------------------------
  // Quotes are the only thing the query language cannot carry inside a value; they are
  // dropped (a phrase is quoted as a whole instead).
  function advValue(form, name) {
    var el = $("[data-adv='" + name + "']", form);
    return el ? el.value.replace(/"/g, " ").trim() : "";
  }
  function advWords(text) { return text.split(/[\s\u3000]+/).filter(Boolean); }
  function advQuote(text) { return /[\s\u3000():]/.test(text) || /^-/.test(text) ? '"' + text + '"' : text; }
  function buildAdvancedQuery(form) {
    var parts = [];
    advWords(advValue(form, "all")).forEach(function (w) { parts.push(advQuote(w)); });
    var phrase = advValue(form, "phrase");
    if (phrase) parts.push('"' + phrase + '"');
    var any = advWords(advValue(form, "any")).map(advQuote);
    if (any.length === 1) parts.push(any[0]);
    else if (any.length > 1) parts.push("(" + any.join(" OR ") + ")");
    var sentence = advWords(advValue(form, "sentence")).map(advQuote);
    if (sentence.length === 1) parts.push(sentence[0]);
    else if (sentence.length > 1) parts.push(sentence.join(" /s "));
    advWords(advValue(form, "none")).forEach(function (w) { parts.push("-" + advQuote(w)); });
    ["title", "issuer", "section", "level", "issuer_type", "province", "city"].forEach(function (name) {
      var v = advValue(form, name);
      if (v) parts.push(name + ":" + (/[\s\u3000]/.test(v) ? '"' + v + '"' : v));
    });
    var y1 = advValue(form, "year_from"), y2 = advValue(form, "year_to");
    if (y1 || y2) parts.push("year:" + (y1 && y2 ? y1 + "-" + y2 : (y1 || y2)));
    var p1 = advValue(form, "published_from"), p2 = advValue(form, "published_to");
    if (p1 || p2) parts.push("published:" + p1 + ".." + p2);
    return parts.join(" ");
  }

  // ---- 全选本页 --------------------------------------------------------------------------
  // Every paragraph of the page not yet in the basket is added, one request at a time.
  function selectPage(btn) {
    var ids = [];
    $all("[data-excerpt]").forEach(function (b) {
      var id = b.getAttribute("data-excerpt");
      if (ids.indexOf(id) < 0) ids.push(id);
    });
    var todo = ids.filter(function (id) { return !inBasket(loadBasket(), id); });
    if (!todo.length) { toast("本页段落都已在摘录中"); return; }
    btn.disabled = true;
    var added = 0;
    function next() {
      if (!todo.length) {
        btn.disabled = false;
        toast("已加入本页 " + added + " 段（摘录共 " + loadBasket().length + " 段）");
        return;
      }
      var id = todo.shift();
      fetchParagraph(id).then(function (p) {
        var current = loadBasket();
        if (!inBasket(current, id)) {
          current.push({ id: p.id, report_id: p.report_id, title: p.title || p.issuer || p.report_id,
                         section_path: p.section_path || [], text: p.text, citation: p.citation });
          added++;
          saveBasket(current);
        }
      }).catch(function (err) { toast(err.message, true); }).then(next);
    }
    next();
  }

  // ---- search history (this browser only) ---------------------------------------------------
  var HISTORY_KEY = "reportsearch.history";
  var HISTORY_MAX = 30;
  function loadHistory() {
    try {
      var items = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (x) {
        return x && typeof x.url === "string" && x.url.charAt(0) === "/" && typeof x.label === "string";
      }) : [];
    } catch (e) { return []; }
  }
  function rememberSearch() {
    var count = $("#result-count");
    var q = $("#q");
    if (!count || !q || !q.value.trim()) return;
    var steps = $all("#search-chain .step-text").map(function (x) { return x.textContent; });
    var label = steps.length ? steps.join(" → ") : q.value.trim();
    var url = location.pathname + location.search;
    var items = loadHistory().filter(function (x) { return x.url !== url; });
    var total = $("strong", count);
    items.unshift({ url: url, label: label, total: total ? total.textContent : "", at: new Date().toISOString() });
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_MAX))); } catch (e) { /* not kept */ }
  }
  function renderHistory() {
    var box = $("#history"), list = $("#history-list");
    if (!box || !list) return;
    var items = loadHistory();
    list.textContent = "";
    items.forEach(function (x) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = x.url;
      a.textContent = x.label;
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "muted small";
      meta.textContent = (x.total ? "  " + x.total + " 段" : "") + (x.at ? " · " + x.at.slice(0, 10) : "");
      li.appendChild(meta);
      list.appendChild(li);
    });
    box.hidden = !items.length;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var items = loadBasket();
    updateBadge(items);
    markExcerptButtons(items);
    var basket = $("#basket");
    restoreNotesChoice();
    if (basket) { basket.addEventListener("click", basketClick); renderBasket(); }
    var find = $("#find");
    if (find) {
      find.addEventListener("submit", function (ev) { ev.preventDefault(); });
      $("#find-q").addEventListener("input", findInput);
      $("#find-q").addEventListener("keydown", findKey);
    }
    focusTarget();
    rememberSearch();
    renderHistory();
    var adv = $("#advanced-form");
    if (adv) {
      var write = function (ev) {
        if (ev && ev.target && ev.target.id === "adv-query") return;   // typed by hand
        $("#adv-query").value = buildAdvancedQuery(adv);
      };
      adv.addEventListener("input", write);
      adv.addEventListener("change", write);
    }
    var sel = $("#select-page");
    if (sel) sel.addEventListener("click", function () { selectPage(sel); });
    var clear = $("#history-clear");
    if (clear) clear.addEventListener("click", function () {
      try { localStorage.removeItem(HISTORY_KEY); } catch (e) { /* nothing kept */ }
      renderHistory();
    });
  });
})();

/* 长辈模式 (elder mode, GB/T 37668-2019 适老化): larger text, stronger contrast, larger touch targets.
   Loaded in <head> so the remembered choice applies before the first paint; the toggle button is in the
   header. The choice is kept in localStorage on this device only. */
(function () {
  "use strict";
  var KEY = "zlhcg-elder";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function apply(on) {
    if (on) { root.setAttribute("data-zl-elder", "on"); } else { root.removeAttribute("data-zl-elder"); }
    var buttons = document.querySelectorAll(".zl-elder-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].querySelector(".zl-elder-label").textContent = on ? "标准模式" : "长辈模式";
    }
  }

  function toggle() {
    var on = !root.hasAttribute("data-zl-elder");
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
    apply(on);
  }

  if (stored()) { root.setAttribute("data-zl-elder", "on"); }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".zl-elder-toggle");
    for (var i = 0; i < buttons.length; i++) { buttons[i].addEventListener("click", toggle); }
    apply(root.hasAttribute("data-zl-elder"));
  });
})();

// Ketenscan: open every data table before printing, so the printout holds all numbers.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (el) {
      el.setAttribute("open", "");
      opened.push(el);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.removeAttribute("open"); });
    opened = [];
  });
})();

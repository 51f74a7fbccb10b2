// On a narrow screen the menu folds behind a "Menu" button. Without script
// the menu simply wraps, every link still there.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("menu");
  if (!button || !menu) { return; }
  document.documentElement.classList.add("menu-folds");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
})();

// The compose form's live recipient count. Optional: without script the
// preview step shows the count.
(function () {
  "use strict";
  var form = document.querySelector('form[action="/broadcasts/preview"]');
  var out = document.getElementById("recipients");
  if (!form || !out) { return; }
  function update() {
    var params = new URLSearchParams({
      kind: form.elements.kind.value,
      target: form.elements.target.value
    });
    fetch("/broadcasts/count?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { total: null }; })
      .then(function (data) {
        out.textContent = data.total === null ? "" : out.dataset.label.replace("{n}", data.total);
      })
      .catch(function () { out.textContent = ""; });
  }
  form.elements.kind.addEventListener("change", update);
  form.elements.target.addEventListener("change", update);
  update();
})();

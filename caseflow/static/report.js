// Print (or save as PDF) the report page: the button only exists where scripts run.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("imprimer");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
});

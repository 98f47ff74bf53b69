// A table wider than a phone scrolls sideways: let the keyboard reach and scroll it too.
document.querySelectorAll(".table-responsive").forEach((region) => {
  if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
    region.tabIndex = 0;
  }
});

/* planpack: the lesson slides. Without this script the presentation is one long page with
 * the notes under each slide. With it: one slide at a time, moved by keyboard or buttons,
 * the slide's number in the address (#7) so that reloading reopens it, full screen, the
 * notes under the slide, and a presenter window that follows the slides. Nothing is sent
 * anywhere; the two windows talk to each other only. */
(function () {
  'use strict';
  /* The page's words when it is not in English (src/site/layout.c, script_words()). */
  var uiWords = {};
  try {
    var given = document.getElementById('ui-words');
    if (given) uiWords = JSON.parse(given.textContent);
  } catch (e) { /* then the English words below */ }
  function t(id, english, a, b) {
    return (uiWords[id] || english).replace('{1}', a).replace('{2}', b);
  }
  var d = document;
  var root = d.documentElement;
  var slides = d.querySelectorAll('main.deck > .slide');
  var bar = d.getElementById('deck-bar');
  if (!slides.length || !bar) return;

  var PRESENTER = 'planpack-presenter';
  var presenterView = window.name === PRESENTER;
  var count = d.getElementById('deck-count');
  var status = d.getElementById('deck-status');
  var notesButton = bar.querySelector('[data-deck="notes"]');
  var current = 0;
  var partner = null; /* the other window: the presenter window, or the one that opened it */
  var session = null;
  try {
    session = window.sessionStorage;
    session.getItem('planpack-teach');
  } catch (e) {
    session = null;
  }

  root.classList.add('js', 'deck-on');
  if (presenterView) root.classList.add('presenter', 'with-notes');
  bar.hidden = false;

  function title(i) {
    var h = slides[i].querySelector('h1, h2');
    return h ? h.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  /* A slide's text shrinks until it fits its box, so a long chat still shows whole. */
  function fit(slide) {
    var body = slide.querySelector('.slide-body');
    if (!body) return;
    var scale = 1;
    body.style.setProperty('--fit', '1');
    /* On a phone the slide scrolls instead: small type helps nobody there. */
    if (window.innerWidth < 768) return;
    while (scale > 0.55 && body.scrollHeight > body.clientHeight + 1) {
      scale -= 0.05;
      body.style.setProperty('--fit', scale.toFixed(2));
    }
  }

  function numberFromHash() {
    var m = /^#(\d+)$/.exec(window.location.hash);
    if (!m) return -1;
    var n = parseInt(m[1], 10);
    return n >= 1 && n <= slides.length ? n - 1 : -1;
  }

  function show(i, fromPartner) {
    if (i < 0) i = 0;
    if (i >= slides.length) i = slides.length - 1;
    slides[current].classList.remove('current');
    current = i;
    var slide = slides[i];
    slide.classList.add('current');
    var n = i + 1;
    if (count) count.textContent = n + ' / ' + slides.length;
    if (window.location.hash !== '#' + n) {
      /* Replacing keeps the back button for leaving the slides, not for stepping back. */
      try {
        window.history.replaceState(null, '', '#' + n);
      } catch (e) {
        window.location.hash = '#' + n;
      }
    }
    if (status) status.textContent = t('slide-n-of', 'Slide {1} of {2}', n, slides.length) + ': ' + title(i);
    var next = d.getElementById('deck-next');
    if (next) next.textContent = i + 1 < slides.length ? t('next-step', 'Next: {1}', title(i + 1))
      : t('js-last-slide', 'Last slide');
    var main = slide.parentNode;
    if (main) main.scrollTop = 0;
    slide.querySelector('.slide-body').scrollTop = 0;
    fit(slide);
    if (!fromPartner) tell();
  }

  /* --- the presenter window ---------------------------------------------------- */
  function tell() {
    if (!partner || partner.closed) return;
    try {
      partner.postMessage({ planpack: 'slide', n: current + 1 }, '*');
    } catch (e) {
      partner = null;
    }
  }

  window.addEventListener('message', function (e) {
    var m = e.data;
    if (!m || typeof m !== 'object' || !e.source) return;
    if (presenterView ? e.source !== window.opener : false) return;
    if (m.planpack === 'hello') {
      /* A presenter window (after this window reloaded, too) asks where we are. */
      partner = e.source;
      tell();
    } else if (m.planpack === 'slide' && (e.source === partner || e.source === window.opener)) {
      var n = parseInt(m.n, 10);
      if (n >= 1 && n <= slides.length && n - 1 !== current) show(n - 1, true);
    }
  });

  function openPresenter() {
    var w = window.open(window.location.href, PRESENTER, 'width=1200,height=760');
    if (!w) {
      if (status) status.textContent = t('js-popup-blocked', 'The browser blocked the presenter window. Allow pop-ups for this page, or use Notes.');
      return;
    }
    partner = w;
  }

  if (presenterView && window.opener) {
    partner = window.opener;
    var hello = function () {
      try {
        window.opener.postMessage({ planpack: 'hello' }, '*');
      } catch (e) { /* the slides window has gone */ }
    };
    hello();
    setInterval(hello, 3000);
  }

  /* The presenter's clock: time since this window opened. */
  if (presenterView) {
    var info = d.createElement('p');
    info.className = 'presenter-info';
    var next = d.createElement('span');
    next.id = 'deck-next';
    var clock = d.createElement('span');
    clock.className = 'clock';
    info.appendChild(next);
    info.appendChild(clock);
    bar.insertBefore(info, bar.firstChild);
    var started = Date.now();
    var tick = function () {
      var s = Math.floor((Date.now() - started) / 1000);
      var sec = s % 60;
      clock.textContent = t('js-time', 'Time: {1}', Math.floor(s / 60) + ':' + (sec < 10 ? '0' : '') + sec);
    };
    tick();
    setInterval(tick, 1000);
  }

  /* --- notes and full screen --------------------------------------------------- */
  function setNotes(on) {
    root.classList.toggle('with-notes', on);
    if (notesButton) notesButton.setAttribute('aria-pressed', on ? 'true' : 'false');
    try {
      if (session && !presenterView) session.setItem('planpack-teach-notes', on ? '1' : '');
    } catch (e) { /* the setting then lasts for this page only */ }
    fit(slides[current]);
  }

  function fullScreen() {
    var fs = d.fullscreenElement;
    var p = null;
    try {
      p = fs ? d.exitFullscreen() : root.requestFullscreen();
    } catch (e) {
      p = null;
    }
    if (p && p.catch) p.catch(function () { /* refused: stay as we are */ });
  }
  d.addEventListener('fullscreenchange', function () {
    fit(slides[current]);
  });
  window.addEventListener('resize', function () {
    fit(slides[current]);
  });

  function act(what) {
    if (what === 'next') show(current + 1);
    else if (what === 'prev') show(current - 1);
    else if (what === 'first') show(0);
    else if (what === 'last') show(slides.length - 1);
    else if (what === 'notes') setNotes(!root.classList.contains('with-notes'));
    else if (what === 'full') fullScreen();
    else if (what === 'presenter') openPresenter();
  }

  var buttons = bar.querySelectorAll('[data-deck]');
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener('click', function (e) {
      act(e.currentTarget.getAttribute('data-deck'));
    });
  }
  if (presenterView) {
    var p = bar.querySelector('[data-deck="presenter"]');
    if (p) p.hidden = true;
    if (notesButton) notesButton.hidden = true;
  }

  d.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
    /* Space and Enter on a button or link keep their usual meaning. */
    var control = tag === 'BUTTON' || tag === 'A';
    var what = null;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
      case 'PageDown':
        what = 'next';
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
      case 'PageUp':
        what = 'prev';
        break;
      case ' ':
      case 'Spacebar':
        if (!control) what = e.shiftKey ? 'prev' : 'next';
        break;
      case 'Home':
        what = 'first';
        break;
      case 'End':
        what = 'last';
        break;
      case 'f':
      case 'F':
        what = 'full';
        break;
      case 'n':
      case 'N':
        if (!presenterView) what = 'notes';
        break;
      case 'p':
      case 'P':
        if (!presenterView) what = 'presenter';
        break;
    }
    if (!what) return;
    e.preventDefault();
    act(what);
  });

  /* A choice on a story slide is a link to the slide it leads to. */
  window.addEventListener('hashchange', function () {
    var i = numberFromHash();
    if (i >= 0 && i !== current) show(i);
  });

  var start = numberFromHash();
  setNotes(presenterView || (!!session && session.getItem('planpack-teach-notes') === '1'));
  show(start >= 0 ? start : 0, presenterView);
})();

/* planpack: comfort only. Every page works without this script; it adds a faster quick
 * exit with the Shift shortcut, a text size switch, and for the plan a live preview, an
 * opt-in copy kept on this device, delete, print and download. Nothing is ever sent. */
(function () {
  'use strict';
  var d = document;
  var root = d.documentElement;
  var KEY = 'planpack';
  root.classList.add('js');

  function storage(name) {
    try {
      var s = window[name];
      s.getItem(KEY);
      return s;
    } catch (e) {
      return null;
    }
  }
  /* The page's words when it is not in English: the interface texts it carries by id
   * (src/site/layout.c, script_words()). t() gives one, with {1} filled in. */
  var uiWords = {};
  try {
    var given = d.getElementById('ui-words');
    if (given) uiWords = JSON.parse(given.textContent);
  } catch (e) { /* then the English words below */ }
  function t(id, english, value) {
    var s = uiWords[id] || english;
    return value === undefined ? s : s.replace('{1}', value);
  }

  var local = storage('localStorage');
  var session = storage('sessionStorage');

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) fn(list[i]);
  }

  /* Removes everything this site kept in the browser: a saved plan, the text size. */
  function wipe() {
    try {
      for (var i = local ? local.length - 1 : -1; i >= 0; i--) {
        var k = local.key(i);
        if (k && k.indexOf(KEY) === 0) local.removeItem(k);
      }
      if (session) {
        session.removeItem(KEY + '-text');
        session.removeItem(KEY + '-reader');
      }
    } catch (e) { /* storage may be switched off; there is then nothing to remove */ }
  }

  /* --- quick exit -------------------------------------------------------------- */
  var exit = d.getElementById('exit');
  var exitStatus = d.getElementById('exit-status');
  var leaving = false;

  function leave() {
    if (leaving) return;
    leaving = true;
    var url = exit ? exit.href : 'https://www.bbc.co.uk/weather';
    wipe();
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    /* Blank the page at once, then replace it so that Back does not return here. */
    root.classList.add('leaving');
    d.title = '';
    if (d.body) d.body.textContent = '';
    window.location.replace(url);
  }
  if (exit) {
    exit.addEventListener('click', function (e) {
      e.preventDefault();
      leave();
    });
  }

  /* A press of Shift counts when Shift is let go without another key pressed while it
   * was down, so Shift used for a capital letter never counts. */
  var presses = 0;
  var timer = 0;
  var shiftAlone = false;
  function say(text) {
    if (exitStatus) exitStatus.textContent = text;
  }
  function reset() {
    presses = 0;
    clearTimeout(timer);
    timer = 0;
  }
  d.addEventListener('keydown', function (e) {
    if (e.key === 'Shift') {
      if (!e.repeat) shiftAlone = !e.ctrlKey && !e.altKey && !e.metaKey;
      return;
    }
    /* Any other key, alone or with Shift, starts the count again. */
    shiftAlone = false;
    if (presses) {
      reset();
      say('');
    }
  }, true);
  d.addEventListener('keyup', function (e) {
    if (e.key !== 'Shift' || !shiftAlone) return;
    shiftAlone = false;
    presses++;
    if (presses === 1) {
      timer = setTimeout(function () {
        reset();
        say('');
      }, 5000);
    }
    if (presses >= 3) {
      reset();
      say(t('js-leaving', 'Leaving this page.'));
      leave();
      return;
    }
    var left = 3 - presses;
    say(left === 1 ? t('js-shift-one', 'Shift pressed. Press it 1 more time to leave this page.')
      : t('js-shift-more', 'Shift pressed. Press it {1} more times to leave this page.', left));
  }, true);

  /* --- text size --------------------------------------------------------------- */
  var sizeButton = d.getElementById('text-size');
  function setLarge(on) {
    root.classList.toggle('large', on);
    if (sizeButton) sizeButton.setAttribute('aria-pressed', on ? 'true' : 'false');
    try {
      if (session && on) session.setItem(KEY + '-text', 'large');
      else if (session) session.removeItem(KEY + '-text');
    } catch (e) { /* the setting then lasts for this page only */ }
  }
  if (sizeButton) {
    setLarge(!!session && session.getItem(KEY + '-text') === 'large');
    sizeButton.hidden = false;
    sizeButton.addEventListener('click', function () {
      setLarge(!root.classList.contains('large'));
    });
  }

  /* --- reading settings ------------------------------------------------------- */
  /* Colours and spacing last for this tab (session storage) while the pupil goes from page
   * to page; only "Remember on this device" keeps them in local storage. Quick exit removes
   * both (wipe). */
  var PREFS = KEY + '-reader';
  var reader = d.getElementById('reader');
  function readPrefs() {
    try {
      var raw = (local && local.getItem(PREFS)) || (session && session.getItem(PREFS));
      return (raw && JSON.parse(raw)) || {};
    } catch (e) {
      return {};
    }
  }
  var prefs = readPrefs();
  function applyPrefs() {
    var scheme = /^(light|dark|contrast)$/.test(prefs.scheme || '') ? prefs.scheme : '';
    if (scheme) root.setAttribute('data-scheme', scheme);
    else root.removeAttribute('data-scheme');
    root.classList.toggle('spaced', !!prefs.spaced);
  }
  function savePrefs() {
    applyPrefs();
    try {
      if (local) local.removeItem(PREFS);
      if (session) session.removeItem(PREFS);
      var keep = prefs.remember ? local : session;
      if (keep && (prefs.scheme || prefs.spaced || prefs.remember))
        keep.setItem(PREFS, JSON.stringify(prefs));
    } catch (e) { /* the settings then last for this page only */ }
  }
  applyPrefs();
  if (reader) {
    each(reader.querySelectorAll('input[name=reader-scheme]'), function (radio) {
      radio.checked = radio.value === (prefs.scheme || '');
      radio.addEventListener('change', function () {
        prefs.scheme = radio.value;
        savePrefs();
      });
    });
    each([['reader-spaced', 'spaced'], ['reader-remember', 'remember']], function (pair) {
      var box = d.getElementById(pair[0]);
      if (!box) return;
      box.checked = !!prefs[pair[1]];
      box.addEventListener('change', function () {
        prefs[pair[1]] = box.checked;
        savePrefs();
      });
    });
    reader.hidden = false;
  }

  /* --- read aloud -------------------------------------------------------------- */
  /* Only a voice that runs on this device (localService) and speaks the page's language,
   * so that no word of the page is sent to a speech service; the control stays hidden where
   * there is none. It reads the selected words, or else the page's main part. */
  var synth = window.speechSynthesis;
  var speech = d.getElementById('reader-speech');
  var readButton = d.getElementById('read-aloud');
  var stopButton = d.getElementById('read-stop');
  function localVoice() {
    var lang = (root.lang || 'en').toLowerCase();
    var voices = synth.getVoices() || [];
    var near = null;
    for (var i = 0; i < voices.length; i++) {
      var v = voices[i];
      var vl = (v.lang || '').toLowerCase().replace('_', '-');
      if (!v.localService) continue;
      if (vl === lang) return v;
      if (!near && vl.split('-')[0] === lang.split('-')[0]) near = v;
    }
    return near;
  }
  function stopReading() {
    synth.cancel();
    stopButton.hidden = true;
  }
  if (synth && window.SpeechSynthesisUtterance && speech && readButton && stopButton) {
    var offer = function () { speech.hidden = !localVoice(); };
    offer();
    if (synth.addEventListener) synth.addEventListener('voiceschanged', offer);
    readButton.addEventListener('click', function () {
      var voice = localVoice();
      var main = d.getElementById('main');
      var chosen = window.getSelection ? String(window.getSelection()).trim() : '';
      var text = chosen || (main ? main.innerText : '');
      synth.cancel();
      if (!voice) {
        speech.hidden = true;
        return;
      }
      /* A paragraph an utterance: some engines stop a long one part of the way through. */
      var parts = text.split(/\n+/).filter(function (t) { return /\S/.test(t); });
      for (var i = 0; i < parts.length; i++) {
        var u = new SpeechSynthesisUtterance(parts[i]);
        u.voice = voice;
        u.lang = voice.lang;
        if (i === parts.length - 1) u.onend = u.onerror = function () { stopButton.hidden = true; };
        synth.speak(u);
      }
      stopButton.hidden = !parts.length;
      if (parts.length) stopButton.focus();
    });
    stopButton.addEventListener('click', function () {
      stopReading();
      readButton.focus();
    });
    window.addEventListener('pagehide', stopReading);
  }

  /* --- replies to send -------------------------------------------------------- */
  /* Each funny reply gets "Copy" and "Send this". The picture (and the reply's words) are
   * drawn into a PNG here on the device and handed to the phone's own share sheet, or
   * downloaded where it has none. Nothing goes to the server. */
  function replyPng(li, text, done) {
    var img = li.querySelector('img');
    var W = 480, pad = 24, line = 34;
    var c = d.createElement('canvas');
    var g = c.getContext('2d');
    if (!g || !c.toBlob) return done(null);
    g.font = '600 26px system-ui, sans-serif';
    var lines = [], words = text.split(/\s+/), cur = '';
    for (var i = 0; i < words.length; i++) {
      var t = cur ? cur + ' ' + words[i] : words[i];
      if (cur && g.measureText(t).width > W - 2 * pad) {
        lines.push(cur);
        cur = words[i];
      } else {
        cur = t;
      }
    }
    if (cur) lines.push(cur);
    function draw(pic) {
      /* The picture fits a 320-pixel square, keeping its shape. */
      var pw = pic ? pic.naturalWidth || 1 : 0, ph = pic ? pic.naturalHeight || 1 : 0;
      var k = pic ? 320 / Math.max(pw, ph) : 0, side = pic ? 320 : 0;
      c.width = W;
      c.height = pad + (side ? side + pad : 0) + lines.length * line + pad;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      if (pic) g.drawImage(pic, (W - pw * k) / 2, pad + (side - ph * k) / 2, pw * k, ph * k);
      g.fillStyle = '#1a1a1a';
      g.font = '600 26px system-ui, sans-serif';
      g.textBaseline = 'top';
      for (var k = 0; k < lines.length; k++)
        g.fillText(lines[k], pad, pad + (side ? side + pad : 0) + k * line);
      try {
        c.toBlob(function (b) { done(b); }, 'image/png');
      } catch (e) {
        done(null); /* a copy opened from a folder may not let the page read its pictures */
      }
    }
    if (!img) return draw(null);
    if (img.complete && img.naturalWidth) return draw(img);
    img.loading = 'eager';
    img.addEventListener('load', function () { draw(img); });
    img.addEventListener('error', function () { draw(null); });
  }

  function sendReply(li, text, note) {
    replyPng(li, text, function (png) {
      var name = (li.id || 'reply') + '.png';
      var file = null;
      try {
        if (png) file = new File([png], name, { type: 'image/png' });
      } catch (e) { /* an old browser without File: the download below still works */ }
      if (file && navigator.canShare && navigator.canShare({ files: [file] })) {
        navigator.share({ files: [file] }).then(function () {
          note(t('js-shared', 'Sent to your share menu.'));
        }, function (e) {
          if (!e || e.name !== 'AbortError') note(t('js-share-failed', 'Sharing did not work. Try Copy.'));
        });
        return;
      }
      if (!png) {
        note(t('js-no-picture', 'This browser cannot make the picture. Press and hold it to save it.'));
        return;
      }
      saveBlob(png, name);
      note(t('js-saved-as', 'Saved as {1} in your downloads. Send it from there.', name));
    });
  }

  function copyReply(li, text, span, note) {
    var cb = navigator.clipboard;
    function plain() {
      if (cb && cb.writeText) {
        cb.writeText(text).then(function () {
          note(t('js-copied-words', 'Copied the words. Paste them in your chat.'));
        }, oldCopy);
      } else {
        oldCopy();
      }
    }
    function oldCopy() {
      var r = d.createRange();
      r.selectNodeContents(span || li);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      var ok = false;
      try {
        ok = d.execCommand('copy');
      } catch (e) { /* then the words stay selected for the young person to copy */ }
      note(ok ? t('js-copied-words', 'Copied the words. Paste them in your chat.')
        : t('js-words-selected', 'The words are selected. Copy them.'));
    }
    if (!li.querySelector('img') || !cb || !cb.write || !window.ClipboardItem) return plain();
    var made = new Promise(function (ok, no) {
      replyPng(li, text, function (b) { if (b) ok(b); else no(new Error('no picture')); });
    });
    cb.write([new ClipboardItem({ 'image/png': made })]).then(function () {
      note(t('js-copied-picture', 'Copied the picture. Paste it in your chat.'));
    }, plain);
  }

  each(d.querySelectorAll('.gallery li'), function (li) {
    var span = li.querySelector('.reply');
    var text = (span ? span.textContent : (li.querySelector('img') || {}).alt || '').trim();
    if (!text) return;
    var tools = el('div', 'reply-tools');
    var status = el('p', 'reply-status');
    status.setAttribute('role', 'status');
    function note(text) { status.textContent = text; }
    if (span && li.id) span.id = li.id + '-words';
    function button(label, act) {
      var b = el('button', 'secondary', label);
      b.type = 'button';
      if (span && li.id) b.setAttribute('aria-describedby', span.id);
      b.addEventListener('click', act);
      tools.appendChild(b);
    }
    button(t('js-copy', 'Copy'), function () { copyReply(li, text, span, note); });
    button(t('js-send-this', 'Send this'), function () { sendReply(li, text, note); });
    li.appendChild(tools);
    li.appendChild(status);
  });

  /* --- the plan ---------------------------------------------------------------- */
  var plan = d.getElementById('my-plan');
  var form = d.querySelector('form[data-plan]');
  var planStatus = d.getElementById('plan-status');
  var keep = d.getElementById('keep');
  var saveKey = form ? KEY + '-plan-' + form.getAttribute('data-plan') : '';

  function el(tag, cls, text) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  /* Hands a file made on this page to the browser's downloads; it never leaves the device. */
  function saveBlob(blob, name) {
    var a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.hidden = true;
    d.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(a.href);
      a.parentNode.removeChild(a);
    }, 1000);
  }
  function tell(text) {
    if (planStatus) planStatus.textContent = text;
  }

  /* Builds the same markup as the server's plan (src/site/plan.c) from the form. */
  function render() {
    var body = plan.querySelector('.plan-body');
    body.textContent = '';
    var parts = 0;
    each(form.querySelectorAll('.plan-sec'), function (sec) {
      var part = el('section', 'plan-part');
      part.appendChild(el('h3', '', sec.querySelector('.sec-title').textContent));
      var list = el('ul');
      var n = 0;
      each(sec.querySelectorAll('input, textarea'), function (input) {
        if (input.type === 'checkbox') {
          if (!input.checked || !input.labels || !input.labels[0]) return;
          var li = el('li');
          each(input.labels[0].childNodes, function (c) {
            li.appendChild(c.cloneNode(true));
          });
          list.appendChild(li);
        } else {
          var v = input.value.trim();
          if (!v) return;
          if (input.tagName === 'TEXTAREA') part.appendChild(el('p', 'free', v));
          else list.appendChild(el('li', '', v));
        }
        n++;
      });
      if (list.firstChild) part.insertBefore(list, part.children[1] || null);
      if (n) {
        body.appendChild(part);
        parts++;
      }
    });
    if (!parts) {
      body.appendChild(el('p', '', t('js-plan-empty', 'Your plan is empty so far. What you ' +
                                     'choose or write above shows here.')));
    }
  }

  function state() {
    var s = {};
    each(form.elements, function (input) {
      if (!input.name || input.type === 'submit') return;
      var list = s[input.name] || (s[input.name] = []);
      if (input.type === 'checkbox') {
        if (input.checked) list.push(input.value);
      } else {
        list.push(input.value);
      }
    });
    return s;
  }
  function restore(s) {
    var seen = {};
    each(form.elements, function (input) {
      var list = s[input.name];
      if (!input.name || !list || input.type === 'submit') return;
      if (input.type === 'checkbox') {
        input.checked = list.indexOf(input.value) >= 0;
      } else {
        var k = seen[input.name] || 0;
        input.value = typeof list[k] === 'string' ? list[k] : '';
        seen[input.name] = k + 1;
      }
    });
  }
  function save() {
    if (!local || !keep || !keep.checked) return;
    try {
      local.setItem(saveKey, JSON.stringify(state()));
    } catch (e) {
      tell(t('js-plan-not-kept', 'Your plan could not be kept on this device.'));
    }
  }
  function forget() {
    try {
      if (local) local.removeItem(saveKey);
    } catch (e) { /* nothing was kept */ }
  }

  function download() {
    var copy = plan.cloneNode(true);
    copy.removeAttribute('hidden');
    copy.removeAttribute('id');
    copy.removeAttribute('tabindex');
    var lang = (root.getAttribute('lang') || 'en').replace(/[^A-Za-z0-9-]/g, '');
    var css = 'body{font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;' +
      'padding:0 1rem;color:#1a1a1a;background:#fff}.plan-out{border:2px solid #1a1a1a;' +
      'border-radius:.75rem;padding:1rem 1.25rem}h2{margin-top:0}h3{font-size:1rem;' +
      'margin:1em 0 .25em}ul{margin:0;padding-left:1.25rem}.free{white-space:pre-line;' +
      'margin:0}.detail{color:#4d4d4d}';
    var html = '<!doctype html>\n<html lang="' + lang + '">\n<head>\n<meta charset="utf-8">\n' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      '<title>' + t('my-plan', 'My plan') + '</title>\n<style>' + css + '</style>\n</head>\n<body>\n' +
      copy.outerHTML + '\n</body>\n</html>\n';
    saveBlob(new Blob([html], { type: 'text/html' }), 'my-plan.html');
    tell(t('js-plan-downloaded', 'Your plan was saved as {1} in your downloads.', 'my-plan.html'));
  }

  function printCard() {
    var wasCard = plan.classList.contains('card');
    plan.classList.add('card');
    root.classList.add('print-card');
    window.addEventListener('afterprint', function done() {
      window.removeEventListener('afterprint', done);
      root.classList.remove('print-card');
      if (!wasCard) plan.classList.remove('card');
    });
    window.print();
  }

  function remove() {
    form.reset();
    forget();
    render();
    tell(t('js-plan-deleted', 'Your plan has been deleted from this page and from this device.'));
  }

  each(d.querySelectorAll('[data-plan-action]'), function (button) {
    var action = button.getAttribute('data-plan-action');
    if (action === 'print-page') button.hidden = false;
    button.addEventListener('click', function () {
      if (action === 'print' || action === 'print-page') window.print();
      else if (action === 'card' && plan) printCard();
      else if (action === 'download' && plan) download();
      else if (action === 'delete' && form) remove();
    });
  });
  if (plan) each(d.querySelectorAll('.plan-tools'), function (t) { t.hidden = false; });

  if (form && plan) {
    var offline = form.hasAttribute('hidden');
    form.hidden = false;
    plan.hidden = false;
    if (keep && local) {
      keep.parentNode.hidden = false;
      try {
        var saved = local.getItem(saveKey);
        if (saved) {
          restore(JSON.parse(saved));
          keep.checked = true;
        }
      } catch (e) {
        forget();
      }
    }
    render();
    form.addEventListener('input', function () {
      render();
      save();
    });
    form.addEventListener('change', function (e) {
      if (e.target === keep) {
        if (keep.checked) {
          save();
          tell(t('js-plan-kept', 'Your plan is now kept in this browser on this device.'));
        } else {
          forget();
          tell(t('js-plan-no-longer-kept', 'Your plan is no longer kept on this device.'));
        }
        return;
      }
      render();
      save();
    });
    form.addEventListener('submit', function (e) {
      /* A saved copy of the site has no server: the plan is already shown below. */
      if (!offline) return;
      e.preventDefault();
      render();
      plan.focus();
    });
    if (offline) plan.setAttribute('tabindex', '-1');
  }
})();

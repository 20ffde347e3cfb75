/** What the server says when a request cannot be read or is refused before it reaches the domain. */
export const en = {
  'edge.nul': 'The text contains an invisible NUL character, which cannot be stored. Remove it and try again.',
  'edge.utf8': 'The request contains characters that are not valid UTF-8 text, so nothing was saved.',
  'edge.tooLarge': 'This is more than the server accepts in one request (at most {limit}). Nothing was saved.',
  'edge.unreadable': 'The request body could not be read; nothing was saved. Try again.',
  'edge.notForm': 'This form was not sent as a form (the content type must be application/x-www-form-urlencoded or multipart/form-data).',
  'edge.badForm': 'The form data is malformed and cannot be read; nothing was saved.',
  'edge.badJson': 'The request body is not valid JSON.',
  'edge.tooDeep': 'The JSON is nested more than {max} levels deep; no Kennisdag document is, so nothing was saved.',
  'edge.badPath': 'The address contains a malformed percent-encoding (a % not followed by two hexadecimal digits of valid UTF-8).',
  'edge.crossSite': 'This request came from another site and was refused. Use Kennisdag itself, or send an Authorization: Bearer token.',
  'edge.proxy': 'The server expects requests through its proxy, and this one did not say where it came from.',
  'edge.rateLimited': 'Too many attempts from here; try again in {seconds} seconds.',
  'edge.signInLimited': 'Too many failed sign-ins for this e-mail address from here; try again in {seconds} seconds.',
  'edge.signedOut': 'This session was signed out; sign in again.'
} as const;

export const nl: Record<keyof typeof en, string> = {
  'edge.nul': 'De tekst bevat een onzichtbaar NUL-teken dat niet kan worden opgeslagen. Haal het weg en probeer het opnieuw.',
  'edge.utf8': 'Het verzoek bevat tekens die geen geldige UTF-8-tekst zijn; er is niets opgeslagen.',
  'edge.tooLarge': 'Dit is meer dan de server in één verzoek aanneemt (hooguit {limit}). Er is niets opgeslagen.',
  'edge.unreadable': 'Het verzoek kon niet worden gelezen; er is niets opgeslagen. Probeer het opnieuw.',
  'edge.notForm': 'Dit formulier is niet als formulier verstuurd (het inhoudstype moet application/x-www-form-urlencoded of multipart/form-data zijn).',
  'edge.badForm': 'De formuliergegevens zijn beschadigd en niet te lezen; er is niets opgeslagen.',
  'edge.badJson': 'De inhoud van het verzoek is geen geldige JSON.',
  'edge.tooDeep': 'De JSON is dieper dan {max} niveaus genest; geen Kennisdag-document is dat, dus er is niets opgeslagen.',
  'edge.badPath': 'Het adres bevat een ongeldige procentcodering (een % die niet door twee hexadecimale cijfers van geldige UTF-8 wordt gevolgd).',
  'edge.crossSite': 'Dit verzoek kwam van een andere site en is geweigerd. Gebruik Kennisdag zelf, of stuur een Authorization: Bearer-token.',
  'edge.proxy': 'De server verwacht verzoeken via zijn proxy, en dit verzoek zei niet waar het vandaan kwam.',
  'edge.rateLimited': 'Te veel pogingen vanaf hier; probeer het over {seconds} seconden opnieuw.',
  'edge.signInLimited': 'Te veel mislukte inlogpogingen voor dit e-mailadres vanaf hier; probeer het over {seconds} seconden opnieuw.',
  'edge.signedOut': 'Deze sessie is uitgelogd; log opnieuw in.'
};

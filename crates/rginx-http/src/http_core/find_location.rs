//! nginx's location search (`ngx_http_core_find_location`): an exact match
//! wins at once; otherwise the longest prefix, then its nested locations;
//! then, unless that prefix was `^~`, the regexes of the level in order (and
//! the nested locations of the one that matches).

use super::location::{LocationBuild, LocationKind};
use std::collections::HashMap;

/// Names to locations. The names come from the configuration, so a fast
/// seeded hash suffices (every request looks its URI up here).
type NameMap = HashMap<Vec<u8>, usize, foldhash::fast::RandomState>;

/// The lookup structure of one level of locations, built once at config time.
#[derive(Clone, Debug, Default)]
pub struct LocationIndex {
    exact: NameMap,
    /// Prefix locations in a byte trie: the longest match costs the length
    /// of the URI, not the number of locations (nginx builds a tree too).
    prefixes: PrefixTrie,
    regexes: Vec<usize>,
    named: NameMap,
    /// nginx's `auto_redirect`: a prefix or exact location whose name ends
    /// in `/` and which has `proxy_pass`, keyed by its name without the
    /// slash; that URI gets a 301 to the location's name.
    auto_redirect: NameMap,
}

/// A byte trie mapping prefixes to location indexes.
#[derive(Clone, Debug, Default)]
pub struct PrefixTrie {
    nodes: Vec<TrieNode>,
}

#[derive(Clone, Debug, Default)]
struct TrieNode {
    /// Children sorted by byte, for binary search.
    children: Vec<(u8, usize)>,
    location: Option<usize>,
}

impl PrefixTrie {
    /// Adds a prefix; the first location given for a prefix keeps it.
    pub fn insert(&mut self, prefix: &[u8], location: usize) {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut node = 0;
        for &byte in prefix {
            node = match self.nodes[node]
                .children
                .binary_search_by_key(&byte, |c| c.0)
            {
                Ok(at) => self.nodes[node].children[at].1,
                Err(at) => {
                    let next = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node].children.insert(at, (byte, next));
                    next
                }
            };
        }
        self.nodes[node].location.get_or_insert(location);
    }

    /// Whether `prefix` itself is a location.
    pub fn contains(&self, prefix: &[u8]) -> bool {
        let Some(mut node) = self.nodes.first() else {
            return false;
        };
        for &byte in prefix {
            let Ok(at) = node.children.binary_search_by_key(&byte, |c| c.0) else {
                return false;
            };
            node = &self.nodes[node.children[at].1];
        }
        node.location.is_some()
    }

    /// The location of the longest prefix of `uri`.
    pub fn longest(&self, uri: &[u8]) -> Option<usize> {
        let mut node = self.nodes.first()?;
        let mut best = node.location;
        for &byte in uri {
            let Ok(at) = node.children.binary_search_by_key(&byte, |c| c.0) else {
                break;
            };
            node = &self.nodes[node.children[at].1];
            if node.location.is_some() {
                best = node.location;
            }
        }
        best
    }
}

impl LocationIndex {
    pub fn build(locations: &[LocationBuild]) -> LocationIndex {
        let mut index = LocationIndex::default();
        for (i, location) in locations.iter().enumerate() {
            let name = location.name.as_bytes();
            if matches!(
                location.kind,
                LocationKind::Exact | LocationKind::Prefix | LocationKind::PrefixNoRegex
            ) && location.conf.proxy.pass.is_some()
                && let Some(without) = name.strip_suffix(b"/")
            {
                index.auto_redirect.entry(without.to_vec()).or_insert(i);
            }
            match &location.kind {
                LocationKind::Exact => {
                    index
                        .exact
                        .entry(location.name.as_bytes().to_vec())
                        .or_insert(i);
                }
                LocationKind::Prefix | LocationKind::PrefixNoRegex => {
                    index.prefixes.insert(location.name.as_bytes(), i);
                }
                LocationKind::Regex(_) => index.regexes.push(i),
                LocationKind::Noname => {}
                LocationKind::Named => {
                    index
                        .named
                        .entry(location.name.as_bytes().to_vec())
                        .or_insert(i);
                }
            }
        }
        index
    }
}

/// The location a URI lands in, and the regex captures that chose it.
#[derive(Debug)]
pub struct Found<'a> {
    pub location: &'a LocationBuild,
    /// Offsets of `$0..$n` in the URI, when a regex location matched.
    pub captures: Option<Vec<Option<(usize, usize)>>>,
    pub regex_captures_names: Option<&'a [Option<String>]>,
    /// nginx's NGX_DONE: the URI lacks the trailing slash of a proxied
    /// location's name; the answer is a 301 to that name.
    pub auto_redirect: bool,
}

enum Level<'a> {
    /// An exact or regex match: final.
    Final(Found<'a>),
    /// A prefix match: final unless a regex of an outer level matches.
    Prefix(&'a LocationBuild),
    None,
}

/// Finds the location for `uri` among `locations` (with their index).
pub fn find<'a>(
    locations: &'a [LocationBuild],
    index: &LocationIndex,
    uri: &[u8],
) -> Option<Found<'a>> {
    match search(locations, index, uri) {
        Level::Final(found) => Some(found),
        Level::Prefix(location) => Some(Found {
            location,
            captures: None,
            regex_captures_names: None,
            auto_redirect: false,
        }),
        Level::None => None,
    }
}

/// A named location (`@name`) of a server.
pub fn find_named<'a>(
    locations: &'a [LocationBuild],
    index: &LocationIndex,
    name: &[u8],
) -> Option<&'a LocationBuild> {
    index.named.get(name).map(|&i| &locations[i])
}

fn search<'a>(locations: &'a [LocationBuild], index: &LocationIndex, uri: &[u8]) -> Level<'a> {
    if let Some(&i) = index.exact.get(uri) {
        return Level::Final(Found {
            location: &locations[i],
            captures: None,
            regex_captures_names: None,
            auto_redirect: false,
        });
    }
    // A prefix location named exactly as the URI is found before the
    // proxied one with the slash (it is its parent in nginx's tree).
    if let Some(&i) = index.auto_redirect.get(uri)
        && !index.prefixes.contains(uri)
    {
        return Level::Final(Found {
            location: &locations[i],
            captures: None,
            regex_captures_names: None,
            auto_redirect: true,
        });
    }
    let mut result = Level::None;
    let mut no_regex = false;
    if let Some(i) = index.prefixes.longest(uri) {
        let prefix = &locations[i];
        no_regex = matches!(prefix.kind, LocationKind::PrefixNoRegex);
        result = Level::Prefix(prefix);
        match search(&prefix.children, &prefix.index, uri) {
            Level::Final(found) => return Level::Final(found),
            Level::Prefix(nested) => result = Level::Prefix(nested),
            Level::None => {}
        }
    }
    if !no_regex {
        for &i in &index.regexes {
            let location = &locations[i];
            let LocationKind::Regex(regex) = &location.kind else {
                continue;
            };
            let Some(captures) = regex.captures(uri) else {
                continue;
            };
            return match search(&location.children, &location.index, uri) {
                Level::Final(found) => Level::Final(found),
                Level::Prefix(nested) => Level::Final(Found {
                    location: nested,
                    captures: Some(captures),
                    regex_captures_names: Some(&regex.capture_names),
                    auto_redirect: false,
                }),
                Level::None => Level::Final(Found {
                    location,
                    captures: Some(captures),
                    regex_captures_names: Some(&regex.capture_names),
                    auto_redirect: false,
                }),
            };
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trie_finds_the_longest_prefix() {
        let mut trie = PrefixTrie::default();
        trie.insert(b"/", 0);
        trie.insert(b"/images/", 1);
        trie.insert(b"/images/big/", 2);
        trie.insert(b"/img", 3);
        trie.insert(b"/images/", 9);
        assert_eq!(trie.longest(b"/"), Some(0));
        assert_eq!(trie.longest(b"/images/x.png"), Some(1));
        assert_eq!(trie.longest(b"/images/big/x"), Some(2));
        assert_eq!(trie.longest(b"/images"), Some(0));
        assert_eq!(trie.longest(b"/imgs"), Some(3));
        assert_eq!(PrefixTrie::default().longest(b"/"), None);
        let mut empty_root = PrefixTrie::default();
        empty_root.insert(b"/a", 0);
        assert_eq!(empty_root.longest(b"/b"), None);
    }
}

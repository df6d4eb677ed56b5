#!/usr/bin/env bash
# Exports pull-request data from GitHub's REST API into the file that `zlhcg reviewers --export`,
# `zlhcg experts report|collection|remind` and the site's collection page read
# (format documented in pipeline/experts/github_data.py).
#
# Usage:  bash pipeline/experts/github_export.sh open|all OUTPUT.json [OWNER/REPO]
# Needs:  gh (logged in with `gh auth login`, or GH_TOKEN set) and jq.
#
# It only reads. Everything the API returns is data: pull request numbers must be integers, and a changed
# file's name reaches a URL only when it matches the record-file pattern. Texts the reports never use (pull
# request titles and bodies) are dropped, and so is everything in a contents response but the file itself
# (its download_url can carry a token for private repositories).
set -euo pipefail
export LC_ALL=C  # bracket ranges such as [a-h] below must mean ASCII letters only

state="${1:-}"
output="${2:-}"
repo="${3:-${GITHUB_REPOSITORY:-}}"
if [[ "$state" != "open" && "$state" != "all" ]] || [[ -z "$output" ]]; then
  echo "用法：github_export.sh open|all 输出文件.json [所有者/仓库]" >&2
  exit 2
fi
if [[ ! "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
  echo "仓库名不正确（应为 所有者/仓库）：$repo" >&2
  exit 2
fi
record_re='^results/((19|20)[0-9]{2}-[0-9a-hjkmnp-tv-z]{8})/\1\.yaml$'  # jq (Oniguruma)
safe_path='^results/[0-9]{4}-[0-9a-hjkmnp-tv-z]{8}/[0-9]{4}-[0-9a-hjkmnp-tv-z]{8}\.yaml$'  # bash, no backreferences
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
exported_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# All pages of a list endpoint as one JSON array, whether gh prints one merged array or one per page.
pages() {
  gh api --paginate "$1" | jq -s 'add // []'
}

pages "repos/${repo}/pulls?state=${state}&per_page=100" | jq 'map(del(.title, .body))' > "$work/pulls.json"
jq -r '.[].number' "$work/pulls.json" > "$work/numbers"
: > "$work/pulls.jsonl"
while read -r number; do
  [[ "$number" =~ ^[0-9]+$ ]] || continue
  pages "repos/${repo}/pulls/${number}/files?per_page=100" > "$work/files.json"
  pages "repos/${repo}/pulls/${number}/reviews?per_page=100" | jq 'map(del(.body))' > "$work/reviews.json"
  pages "repos/${repo}/issues/${number}/timeline?per_page=100" \
    | jq '[.[] | select(.event == "review_requested" or .event == "review_request_removed")]' > "$work/timeline.json"
  echo '{}' > "$work/contents.json"
  jq -r --arg re "$record_re" '.[] | select(.status != "removed") | .filename | select(test($re))' \
    "$work/files.json" > "$work/records"
  while read -r path; do
    [[ "$path" =~ $safe_path ]] || continue
    if gh api "repos/${repo}/contents/${path}?ref=refs/pull/${number}/head" > "$work/one.json" 2> /dev/null; then
      jq --arg path "$path" --slurpfile one "$work/one.json" \
        '. + {($path): ($one[0] | {path, sha, encoding, content})}' "$work/contents.json" > "$work/next.json"
      mv "$work/next.json" "$work/contents.json"
    fi
  done < "$work/records"
  jq -c --argjson number "$number" \
    --slurpfile files "$work/files.json" --slurpfile reviews "$work/reviews.json" \
    --slurpfile timeline "$work/timeline.json" --slurpfile contents "$work/contents.json" \
    '.[] | select(.number == $number)
     | . + {files: $files[0], reviews: $reviews[0], timeline: $timeline[0], contents: $contents[0]}' \
    "$work/pulls.json" >> "$work/pulls.jsonl"
done < "$work/numbers"

jq -s --arg repo "$repo" --arg at "$exported_at" --arg state "$state" \
  '{format: "zlhcg-github-export/1", repository: $repo, exported_at: $at, state: $state, pulls: .}' \
  "$work/pulls.jsonl" > "$output"
echo "已导出 $(jq '.pulls | length' "$output") 个拉取请求到 $output（截至 $exported_at）。" >&2

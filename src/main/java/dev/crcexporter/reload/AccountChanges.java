package dev.crcexporter.reload;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a reload changes, by name only: accounts added, removed and changed (with the settings that changed,
 * {@code api_secret} but never its value), and the top-level settings that changed. For the log and the answer of
 * {@code /-/reload}; the running exporter works out on its own what each change means for it.
 *
 * @param added    accounts in the new configuration only, in its order
 * @param removed  accounts in the old configuration only, in its order
 * @param changed  accounts in both whose settings differ, with the names of those settings
 * @param settings top-level settings that differ ({@code poll_interval}, ...)
 * @param accounts how many accounts the new configuration has
 */
public record AccountChanges(List<String> added, List<String> removed, Map<String, List<String>> changed,
        List<String> settings, int accounts) {

    public AccountChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changed));
        settings = List.copyOf(settings);
    }

    public static AccountChanges between(ExporterConfig before, ExporterConfig after) {
        Map<String, AccountConfig> old = byName(before.accounts());
        Map<String, AccountConfig> next = byName(after.accounts());
        List<String> added = new ArrayList<>();
        Map<String, List<String>> changed = new LinkedHashMap<>();
        next.forEach((name, account) -> {
            AccountConfig previous = old.get(name);
            if (previous == null) {
                added.add(name);
            } else if (!previous.equals(account)) {
                changed.put(name, accountDifferences(previous, account));
            }
        });
        List<String> removed = old.keySet().stream().filter(name -> !next.containsKey(name)).toList();
        return new AccountChanges(added, removed, changed, differences(before, after, Set.of("accounts")),
                after.accounts().size());
    }

    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && settings.isEmpty();
    }

    /**
     * One line: "3 account(s); added: a,b; removed: c; changed: hq (api_secret, capacity); settings: poll_interval".
     */
    public String summary() {
        StringBuilder line = new StringBuilder(accounts + " account(s)");
        if (none()) {
            return line.append("; nothing changed").toString();
        }
        if (!added.isEmpty()) {
            line.append("; added: ").append(String.join(",", added));
        }
        if (!removed.isEmpty()) {
            line.append("; removed: ").append(String.join(",", removed));
        }
        if (!changed.isEmpty()) {
            line.append("; changed: ").append(changed.entrySet().stream()
                    .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!settings.isEmpty()) {
            line.append("; settings: ").append(String.join(", ", settings));
        }
        return line.toString();
    }

    private static Map<String, AccountConfig> byName(List<AccountConfig> accounts) {
        Map<String, AccountConfig> map = new LinkedHashMap<>();
        accounts.forEach(account -> map.put(account.name(), account));
        return map;
    }

    /**
     * The account's settings that differ: its credentials by field ({@code api_secret}, {@code client_id}...), or
     * {@code source} when it moved from one API to the other.
     */
    private static List<String> accountDifferences(AccountConfig before, AccountConfig after) {
        List<String> names = new ArrayList<>();
        if (before.source() != after.source()) {
            names.add("source");
        } else {
            names.addAll(differences((Record) before.credentials(), (Record) after.credentials(), Set.of()));
        }
        names.addAll(differences(before, after, Set.of("credentials")));
        return names;
    }

    /** The names (as the YAML writes them) of the record components that differ; values are never read out. */
    private static List<String> differences(Record before, Record after, Set<String> skipped) {
        List<String> names = new ArrayList<>();
        for (RecordComponent component : before.getClass().getRecordComponents()) {
            if (skipped.contains(component.getName())) {
                continue;
            }
            try {
                if (!Objects.equals(component.getAccessor().invoke(before), component.getAccessor().invoke(after))) {
                    names.add(snakeCase(component.getName()));
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot compare " + component, e);
            }
        }
        return names;
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}

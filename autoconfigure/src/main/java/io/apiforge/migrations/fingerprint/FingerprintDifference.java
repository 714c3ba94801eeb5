package io.apiforge.migrations.fingerprint;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.fingerprint.ObjectDifference.Change;

/**
 * What differs between a stored {@link SchemaFingerprint} (what the migrations made) and
 * a live one (what the catalog holds now): each object added, removed or changed, with
 * both definitions, in the fingerprint's order (by kind, then identity).
 *
 * @author apiforge
 */
public final class FingerprintDifference {

	private final SchemaFingerprint stored;

	private final SchemaFingerprint live;

	private final List<ObjectDifference> objects;

	private FingerprintDifference(SchemaFingerprint stored, SchemaFingerprint live, List<ObjectDifference> objects) {
		this.stored = stored;
		this.live = live;
		this.objects = List.copyOf(objects);
	}

	/**
	 * Compare two fingerprints, object by object: objects are the same object when they
	 * have the same kind and identity, and changed when their definitions differ.
	 * @param stored the reference, such as what the migrations made
	 * @param live what to compare with it, such as what the catalog holds now
	 * @return what differs, empty when nothing does
	 */
	public static FingerprintDifference compare(SchemaFingerprint stored, SchemaFingerprint live) {
		Assert.notNull(stored, "'stored' must not be null");
		Assert.notNull(live, "'live' must not be null");
		List<ObjectDifference> differences = new ArrayList<>();
		Iterator<SchemaObject> storedObjects = stored.objects().iterator();
		Iterator<SchemaObject> liveObjects = live.objects().iterator();
		SchemaObject before = next(storedObjects);
		SchemaObject after = next(liveObjects);
		// Both lists are sorted by kind and identity, unique in them: merge them.
		while (before != null || after != null) {
			int order = (before == null) ? 1 : (after == null) ? -1 : compareIdentity(before, after);
			if (order < 0) {
				differences.add(new ObjectDifference(Change.REMOVED, before.kind(), before.identity(),
						before.definition(), null));
				before = next(storedObjects);
			}
			else if (order > 0) {
				differences.add(new ObjectDifference(Change.ADDED, after.kind(), after.identity(), null,
						after.definition()));
				after = next(liveObjects);
			}
			else {
				if (!before.definition().equals(after.definition())) {
					differences.add(new ObjectDifference(Change.CHANGED, before.kind(), before.identity(),
							before.definition(), after.definition()));
				}
				before = next(storedObjects);
				after = next(liveObjects);
			}
		}
		return new FingerprintDifference(stored, live, differences);
	}

	private static int compareIdentity(SchemaObject before, SchemaObject after) {
		int order = before.kind().compareTo(after.kind());
		return (order != 0) ? order : before.identity().compareTo(after.identity());
	}

	private static @Nullable SchemaObject next(Iterator<SchemaObject> objects) {
		return objects.hasNext() ? objects.next() : null;
	}

	/**
	 * Return the fingerprint compared against.
	 * @return the stored fingerprint
	 */
	public SchemaFingerprint stored() {
		return this.stored;
	}

	/**
	 * Return the fingerprint compared.
	 * @return the live fingerprint
	 */
	public SchemaFingerprint live() {
		return this.live;
	}

	/**
	 * Return every object that differs, in order.
	 * @return the differences
	 */
	public List<ObjectDifference> objects() {
		return this.objects;
	}

	/**
	 * Return the objects the live fingerprint has and the stored one has not.
	 * @return the added objects
	 */
	public List<ObjectDifference> added() {
		return withChange(Change.ADDED);
	}

	/**
	 * Return the objects the stored fingerprint has and the live one has not.
	 * @return the removed objects
	 */
	public List<ObjectDifference> removed() {
		return withChange(Change.REMOVED);
	}

	/**
	 * Return the objects both have, defined differently.
	 * @return the changed objects
	 */
	public List<ObjectDifference> changed() {
		return withChange(Change.CHANGED);
	}

	private List<ObjectDifference> withChange(Change change) {
		return this.objects.stream().filter((object) -> object.change() == change).toList();
	}

	/**
	 * Return the differences of one severity only, such as the schema's shape without its
	 * grants and owners.
	 * @param severity the severity to keep
	 * @return a difference of the same fingerprints holding those objects only
	 */
	public FingerprintDifference only(Severity severity) {
		return new FingerprintDifference(this.stored, this.live,
				this.objects.stream().filter((object) -> object.severity() == severity).toList());
	}

	/**
	 * Return whether nothing differs.
	 * @return whether both fingerprints hold the same objects, defined alike
	 */
	public boolean isEmpty() {
		return this.objects.isEmpty();
	}

	/**
	 * Describe the differences, one line an object, for a log or an assertion message.
	 * Definitions may render differently in another PostgreSQL major version, so a line
	 * says so first when the two fingerprints were read from different ones.
	 * @return the description, {@code no differences} when there are none
	 */
	public String describe() {
		if (isEmpty()) {
			return "no differences";
		}
		String lines = this.objects.stream().map(ObjectDifference::describe).collect(Collectors.joining("\n"));
		if (this.stored.postgresqlVersion() != this.live.postgresqlVersion()) {
			return "stored on PostgreSQL " + this.stored.postgresqlVersion() + ", live on PostgreSQL "
					+ this.live.postgresqlVersion() + ": some definitions may differ only in how they are rendered\n"
					+ lines;
		}
		return lines;
	}

	@Override
	public String toString() {
		return describe();
	}

}

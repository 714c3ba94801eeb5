package io.apiforge.sample.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

import io.apiforge.sample.benchmark.ChildStart.Sample;

/**
 * The starts of one case of the start-up benchmark, pair by pair, and their medians and
 * ratios. A ratio is the starter variant's figure over the plain variant's; per pair, the
 * two starts next to each other are compared, so that a drift in the machine's load falls
 * on both.
 *
 * @author apiforge
 */
final class StartupCaseResult {

	private final StartupCase startupCase;

	private final List<Sample> starter = new ArrayList<>();

	private final List<Sample> plain = new ArrayList<>();

	StartupCaseResult(StartupCase startupCase) {
		this.startupCase = startupCase;
	}

	void add(Sample starter, Sample plain) {
		this.starter.add(starter);
		this.plain.add(plain);
	}

	StartupCase startupCase() {
		return this.startupCase;
	}

	int pairs() {
		return this.starter.size();
	}

	double medianStarter(ToDoubleFunction<Sample> figure) {
		return median(this.starter.stream().mapToDouble(figure).boxed().toList());
	}

	double medianPlain(ToDoubleFunction<Sample> figure) {
		return median(this.plain.stream().mapToDouble(figure).boxed().toList());
	}

	/**
	 * Return the per-pair ratios of a figure.
	 * @param figure the figure
	 * @return starter over plain, one per pair
	 */
	List<Double> ratios(ToDoubleFunction<Sample> figure) {
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < this.starter.size(); i++) {
			ratios.add(figure.applyAsDouble(this.starter.get(i)) / figure.applyAsDouble(this.plain.get(i)));
		}
		return ratios;
	}

	double medianRatio(ToDoubleFunction<Sample> figure) {
		return median(ratios(figure));
	}

	double minRatio(ToDoubleFunction<Sample> figure) {
		return ratios(figure).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
	}

	double maxRatio(ToDoubleFunction<Sample> figure) {
		return ratios(figure).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

	/**
	 * Return a 95 % confidence interval of the median ratio that assumes nothing about how
	 * the ratios are spread: the k-th smallest and the k-th largest ratio, with k the
	 * largest rank below which a fair coin tossed once per pair leaves at most 2.5 %
	 * (a binomial distribution of n and one half). It tells a median that meets or misses
	 * a target from one that this machine's noise cannot place on either side.
	 * @param figure the figure
	 * @return the interval, or {@code null} with fewer than 6 pairs, which cannot give one
	 */
	@Nullable Interval medianRatioInterval(ToDoubleFunction<Sample> figure) {
		List<Double> sorted = ratios(figure).stream().sorted().toList();
		int n = sorted.size();
		int k = 0;
		double below = 0;
		double binomial = 1;
		for (int rank = 1; rank <= n / 2; rank++) {
			// below = P(at most rank - 1 heads of n); binomial = C(n, rank - 1)
			below += binomial / Math.pow(2, n);
			if (below > 0.025) {
				break;
			}
			k = rank;
			binomial = binomial * (n - rank + 1) / rank;
		}
		return (k == 0) ? null : new Interval(sorted.get(k - 1), sorted.get(n - k));
	}

	/**
	 * A confidence interval of a median ratio.
	 *
	 * @param low its lower end
	 * @param high its upper end
	 */
	record Interval(double low, double high) {

	}

	static double median(List<Double> values) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
